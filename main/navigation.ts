import { isAppUrl } from './app-origin';
import { type Logger, silentLogger } from './log';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationGuardOptions {
  appOrigin: string;
  log?: Logger;
}

/** The listeners main.ts attaches to every webContents the app creates. */
export interface NavigationGuard {
  onWillNavigate(event: PreventableEvent, url: string): void;
  onWillRedirect(event: PreventableEvent, url: string): void;
  onWillAttachWebview(event: PreventableEvent): void;
  windowOpenHandler(details: { url: string }): { action: 'deny' };
}

/**
 * Keeps every webContents on the app's origin. Nothing here opens a link outside: navigation and
 * window.open carry no proof that the user clicked (a script can do both), so they are only
 * stopped. Links the user clicks reach the system browser through the preload's click path
 * (preload/link-clicks.ts → shell:open-external → main/external-links.ts).
 */
export function createNavigationGuard(options: NavigationGuardOptions): NavigationGuard {
  const log = options.log ?? silentLogger;
  const scheme = (url: string): string => url.split(':', 1)[0] ?? '';
  return {
    onWillNavigate: (event, url) => {
      if (isAppUrl(url, options.appOrigin)) return;
      event.preventDefault();
      log.warn('stopped a navigation out of the app', { scheme: scheme(url) });
    },
    onWillRedirect: (event, url) => {
      if (!isAppUrl(url, options.appOrigin)) event.preventDefault();
    },
    onWillAttachWebview: (event) => event.preventDefault(),
    // No second window ever.
    windowOpenHandler: ({ url }) => {
      log.warn('denied a new window', { scheme: scheme(url) });
      return { action: 'deny' };
    },
  };
}

/** The part of Electron's WebContents the guard hooks into. */
export interface GuardableContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function installNavigationGuard(contents: GuardableContents, options: NavigationGuardOptions): NavigationGuard {
  const guard = createNavigationGuard(options);
  contents.on('will-navigate', (event, url) => guard.onWillNavigate(event, url));
  contents.on('will-redirect', (event, url) => guard.onWillRedirect(event, url));
  contents.on('will-attach-webview', (event) => guard.onWillAttachWebview(event));
  contents.setWindowOpenHandler((details) => guard.windowOpenHandler(details));
  return guard;
}
