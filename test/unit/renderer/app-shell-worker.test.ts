import { describe, expect, it, vi } from 'vitest';
import { registerAppShell, shouldRegisterAppShell } from '../../../renderer/app/app-shell-worker';

/** The web agent precaches its shell; the desktop app (app://) never registers a service worker. */
describe('app shell service worker registration', () => {
  const container = () => ({ register: vi.fn(async () => ({}) as ServiceWorkerRegistration) });

  it('registers sw.js beside index.html in the built web agent over http(s)', () => {
    for (const protocol of ['https:', 'http:']) {
      const serviceWorker = container();
      registerAppShell({ bridgeKind: 'web', protocol, serviceWorker, production: true }, () => undefined);
      expect(serviceWorker.register).toHaveBeenCalledWith('./sw.js', { scope: './' });
    }
  });

  it('never registers in Electron, under app://, in vite dev, or without a service worker container', () => {
    const cases = [
      { bridgeKind: 'electron' as const, protocol: 'app:', production: true },
      { bridgeKind: 'web' as const, protocol: 'app:', production: true },
      { bridgeKind: 'electron' as const, protocol: 'http:', production: true },
      { bridgeKind: 'web' as const, protocol: 'https:', production: false },
      { bridgeKind: 'web' as const, protocol: 'file:', production: true },
    ];
    for (const env of cases) {
      const serviceWorker = container();
      registerAppShell({ ...env, serviceWorker }, () => undefined);
      expect(serviceWorker.register, JSON.stringify(env)).not.toHaveBeenCalled();
    }
    expect(shouldRegisterAppShell({ bridgeKind: 'web', protocol: 'https:', production: true })).toBe(false);
  });

  it('a failed registration is logged, not thrown', async () => {
    const log = vi.fn();
    const serviceWorker = { register: vi.fn(async () => Promise.reject(new Error('blocked'))) };
    registerAppShell({ bridgeKind: 'web', protocol: 'https:', serviceWorker, production: true }, log);
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('the app could not be prepared for offline reloads', expect.any(Error)));
  });
});
