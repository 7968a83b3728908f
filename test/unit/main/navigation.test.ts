import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../main/app-origin';
import { type GuardableContents, installNavigationGuard } from '../../../main/navigation';

function fakeEvent() {
  return { prevented: false, preventDefault() { this.prevented = true; } };
}

function setup() {
  const listeners = new Map<string, (...args: never[]) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: (...args: never[]) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => (openHandler = handler),
  } as GuardableContents;
  const warnings: string[] = [];
  installNavigationGuard(contents, { appOrigin: APP_ORIGIN, log: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} } });
  const fire = (event: string, url?: string) => {
    const e = fakeEvent();
    (listeners.get(event) as (e: unknown, url?: string) => void)(e, url);
    return e.prevented;
  };
  return { fire, warnings, open: (url: string) => openHandler?.({ url }) };
}

describe('navigation guard', () => {
  it('allows navigation inside the app origin', () => {
    const { fire } = setup();
    expect(fire('will-navigate', 'app://veildesk/index.html')).toBe(false);
  });

  it('stops every navigation away, https included: a script can navigate without a click', () => {
    const { fire, warnings } = setup();
    for (const url of ['https://example.com/help', 'http://example.com/', 'file:///etc/passwd', 'app://evil/index.html']) {
      expect(fire('will-navigate', url), url).toBe(true);
    }
    expect(warnings).toHaveLength(4);
  });

  it('stops redirects out of the app', () => {
    const { fire } = setup();
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fire('will-redirect', 'app://veildesk/index.html')).toBe(false);
  });

  it('denies every new window', () => {
    const { open } = setup();
    for (const url of ['https://example.com/', 'app://veildesk/index.html', 'file:///etc/passwd']) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
  });

  it('refuses webviews', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview')).toBe(true);
  });
});
