import { type DesktopBridge } from '../../shared';

/**
 * The web agent's service worker (sw.js, generated at build time by vite-plugin-pwa in
 * renderer/vite.config.ts) precaches the built app shell so a reload without the network still
 * opens the app with its local data. It never caches API answers, /ws or anything personal.
 * The desktop app loads from its own files under app://, where no service worker may register.
 */

export interface AppShellEnv {
  bridgeKind: DesktopBridge['kind'];
  /** location.protocol of the page. */
  protocol: string;
  /** navigator.serviceWorker, when the browser has one (secure contexts only). */
  serviceWorker?: Pick<ServiceWorkerContainer, 'register'>;
  /** False in `vite dev`, which builds no sw.js. */
  production: boolean;
}

/** Whether this page may register the app shell worker: only the built web agent over http(s). */
export function shouldRegisterAppShell(env: AppShellEnv): boolean {
  return env.production && env.bridgeKind === 'web' && (env.protocol === 'https:' || env.protocol === 'http:') && env.serviceWorker !== undefined;
}

/** Registers sw.js next to index.html; a failure only costs offline reloads, so it is logged, not thrown. */
export function registerAppShell(env: AppShellEnv, log: (message: string, detail?: unknown) => void): void {
  const container = env.serviceWorker;
  if (!container || !shouldRegisterAppShell(env)) return;
  container.register('./sw.js', { scope: './' }).catch((error: unknown) => log('the app could not be prepared for offline reloads', error));
}
