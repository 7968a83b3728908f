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
