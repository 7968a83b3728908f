import { z } from 'zod';

/**
 * Everything the renderer needs from its host. Two implementations: the Electron preload
 * (`window.veildesk`) and the web one in renderer/bridge. The renderer never asks which it has
 * beyond `kind`, so the web build that tests drive is the same product the desktop runs.
 */
export interface DesktopBridge {
  readonly kind: 'electron' | 'web';
  getAppInfo(): Promise<AppInfo>;
  /** Server URL to sign in to: the stored choice, or the host's default. */
  getServerUrl(): Promise<string>;
  /** Remembers the server URL the user signed in to. */
  setServerUrl(url: string): Promise<void>;
  /** Opens an http(s) link in the system browser (desktop) or a new tab (web). */
  openExternal(url: string): Promise<void>;
  /**
   * Screens and windows that may be shared, with thumbnails (desktop). Null when the host shows its
   * own picker as capture starts (browser getDisplayMedia). Absent on hosts without screen sharing.
   */
  listCaptureSources?(): Promise<CaptureSource[] | null>;
  /** Chooses the source the next getDisplayMedia call is granted (desktop: once, video only). */
  selectCaptureSource?(id: string): Promise<void>;
  /** Whether Veildesk's own windows are kept out of screen captures on this system. */
  getCaptureProtection?(): Promise<CaptureProtection>;
  /** Desktop: the global secure-pause hotkey was pressed (even with another app focused). Returns an unsubscribe. */
  onSecurePauseHotkey?(listener: () => void): () => void;
}

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  kind: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** A server URL the user may type: http or https, no credentials, no path tricks. */
export const ServerUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'server URL must be an http:// or https:// address without credentials');

export const ExternalUrl = z
  .string()
  .max(4096)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'only http:// and https:// links can be opened');

/** desktopCapturer ids: `screen:<id>:<n>` or `window:<id>:<n>`. */
export const CaptureSourceId = z
  .string()
  .max(200)
  .regex(/^(screen|window):[\w.-]+(:[\w.-]+)*$/, 'not a screen or window source id');

/** A screen or window the user may pick to share. */
export const CaptureSource = z.object({
  id: CaptureSourceId,
  name: z.string().max(500),
  kind: z.enum(['screen', 'window']),
  /** data:image/png;base64 thumbnail, or empty when the system gave none. */
  thumbnail: z.string().max(2_000_000),
});
export type CaptureSource = z.infer<typeof CaptureSource>;

/** Whether the app's own windows are excluded from captures (setContentProtection: Windows, macOS). */
export const CaptureProtection = z.object({
  ownWindowsHidden: z.boolean(),
  /** Why not, in words for the user, when they are not hidden. */
  reason: z.string().max(500).optional(),
});
export type CaptureProtection = z.infer<typeof CaptureProtection>;
