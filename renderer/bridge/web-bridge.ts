import { type AppInfo, type CaptureProtection, DEFAULT_PORT, type DesktopBridge, ExternalUrl, ServerUrl } from '../../shared';

/**
 * The host bridge for the web build. It mirrors the Electron preload so the browser build that tests
 * drive is the same product the desktop runs; only storage and link opening differ.
 */

const SERVER_URL_KEY = 'veildesk.serverUrl';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface WebBridgeEnv {
  location?: Pick<Location, 'protocol' | 'origin'>;
  /** The server choice is not secret, so it may outlive the tab (unlike the session token). */
  storage?: KeyValueStorage | null;
  open?: (url: string, target: string, features: string) => unknown;
  userAgent?: string;
}

function safeLocalStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage can be disabled by policy; the bridge then just forgets the choice.
    return null;
  }
}

export function createWebBridge(env: WebBridgeEnv = {}): DesktopBridge {
  const location = env.location ?? globalThis.location;
  const storage = env.storage === undefined ? safeLocalStorage() : env.storage;
  const open = env.open ?? ((url, target, features) => globalThis.open(url, target, features));

  function defaultServerUrl(): string {
    // Served by the backend itself: the page's own origin is the server.
    if (location && (location.protocol === 'http:' || location.protocol === 'https:')) return location.origin;
    return `http://localhost:${DEFAULT_PORT}`;
  }

  return {
    kind: 'web',

    async getAppInfo(): Promise<AppInfo> {
      return {
        version: typeof __VEILDESK_VERSION__ === 'string' ? __VEILDESK_VERSION__ : 'dev',
        platform: env.userAgent ?? globalThis.navigator?.userAgent ?? 'unknown',
        kind: 'web',
      };
    },

    async getServerUrl(): Promise<string> {
      let stored: string | null;
      try {
        stored = storage?.getItem(SERVER_URL_KEY) ?? null;
      } catch {
        stored = null;
      }
      // Ignore a stored value that is no longer acceptable rather than sign in somewhere unexpected.
      if (stored && ServerUrl.safeParse(stored).success) return stored;
      return defaultServerUrl();
    },

    async setServerUrl(url: string): Promise<void> {
      const parsed = ServerUrl.safeParse(url);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid server URL');
      try {
        storage?.setItem(SERVER_URL_KEY, parsed.data);
      } catch {
        // Quota or policy: remembering the server is a convenience, not a requirement.
      }
    },

    async openExternal(url: string): Promise<void> {
      const parsed = ExternalUrl.safeParse(url);
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid link');
      // noopener: the opened page gets no handle back to this window.
      open(parsed.data, '_blank', 'noopener,noreferrer');
    },

    // Screen sharing: the browser shows its own picker when getDisplayMedia is called.
    async listCaptureSources() {
      return null;
    },

    async selectCaptureSource() {
      // Nothing to pre-select: the browser's picker decides.
    },

    async getCaptureProtection(): Promise<CaptureProtection> {
      return {
        ownWindowsHidden: false,
        reason: 'In a browser, Veildesk cannot hide its own tab or window from what you share. Share another window or tab, or cover Veildesk with a mask.',
      };
    },
  };
}
