import { isAppUrl } from './app-origin';
import { type Logger, silentLogger } from './log';

/** Only http(s) links may leave the app, and only to the system browser. */
export function isExternalHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationGuardOptions {
  appOrigin: string;
  openExternal(url: string): Promise<void>;
  log?: Logger;
}

/** The listeners main.ts attaches to every webContents the app creates. */
export interface NavigationGuard {
  onWillNavigate(event: PreventableEvent, url: string): void;
  onWillRedirect(event: PreventableEvent, url: string): void;
  onWillAttachWebview(event: PreventableEvent): void;
  windowOpenHandler(details: { url: string }): { action: 'deny' };
}

export function createNavigationGuard(options: NavigationGuardOptions): NavigationGuard {
  const log = options.log ?? silentLogger;
  const sendOut = (url: string): void => {
    if (!isExternalHttpUrl(url)) {
      log.warn('blocked a non-http link', { scheme: url.split(':', 1)[0] });
      return;
    }
    options.openExternal(url).catch((error: unknown) => log.error('openExternal failed', { error: String(error) }));
  };
  const keepInApp = (event: PreventableEvent, url: string): void => {
    if (isAppUrl(url, options.appOrigin)) return;
    event.preventDefault();
    sendOut(url);
  };
  return {
    onWillNavigate: keepInApp,
    // A redirect is not a user click: stop it, never hand it to the browser.
    onWillRedirect: (event, url) => {
      if (!isAppUrl(url, options.appOrigin)) event.preventDefault();
    },
    onWillAttachWebview: (event) => event.preventDefault(),
    // No second window ever; target=_blank links go to the system browser instead.
    windowOpenHandler: ({ url }) => {
      sendOut(url);
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
