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
  /**
   * Opens an https link in the system browser (desktop) or a new tab (web). Desktop: only while the
   * page has a user activation (called from a click), else it rejects.
   */
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
  /**
   * Desktop: the key that encrypts this user's local data (renderer/data), kept by main sealed with
   * the OS keychain (Electron safeStorage). Absent on the web, where the renderer keeps a
   * non-extractable WebCrypto key in IndexedDB instead.
   */
  getLocalDataKey?(scope: string): Promise<LocalDataKeyAnswer>;
  /** Desktop: forgets the key of a scope (local data wiped); data sealed with it becomes unreadable. */
  forgetLocalDataKey?(scope: string): Promise<void>;
  /**
   * Desktop: tells main whether a chat or call is live, so an update never installs during one.
   * The renderer sends it on every change and once at start.
   */
  setInteractionLive?(live: boolean): Promise<void>;
  /** Desktop: where the automatic update stands (main/update). */
  getUpdateStatus?(): Promise<UpdateStatus>;
  /** Desktop: the agent chose to install the downloaded update now (refused during an interaction). */
  installUpdateNow?(): Promise<InstallUpdateAnswer>;
  /**
   * Desktop: binds this window's key requests to the signed-in user (main checks the token with
   * the server once, then hands out only that user's key and the server's recorder key).
   */
  bindLocalDataUser?(proof: LocalDataSessionProof): Promise<void>;
  /** Desktop: the user signed out; this window may still forget (not read) the key of the user who left. */
  releaseLocalDataUser?(): Promise<void>;
  /**
   * Desktop: shows an OS notification for a new offer (Electron Notification in main). Clicking it
   * focuses the window and calls the listeners of onOfferNotificationClick with the offer's id.
   * The web agent uses the Notification API itself (renderer/features/alerts).
   */
  notifyOffer?(notification: OfferNotification): Promise<void>;
  /** Desktop: an offer notification was clicked (the window is already focused). Returns an unsubscribe. */
  onOfferNotificationClick?(listener: (interactionId: string) => void): () => void;
  /** Desktop: the dock/taskbar badge (waiting offers + unread chat messages); 0 clears it. */
  setBadgeCount?(count: number): Promise<void>;
}

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  kind: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * The WHATWG URL global, which every runtime has (browsers, Node, Electron). shared/ is type-checked
 * without DOM or Node types (tsconfig.shared.json), so this file declares the part it uses.
 */
declare const URL: new (input: string) => { protocol: string; username: string; password: string; host: string };

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

/**
 * A link the app may hand to the system browser: https only, no credentials in it. Plain http
 * could be rewritten on the way; file:, smb:, custom schemes could launch local programs.
 */
export const ExternalUrl = z.string().max(4096).refine(isHttpsWithoutCredentials, 'only https:// links can be opened');

/** An https:// address with no user name or password in it (links to open, the update feed). */
export function isHttpsWithoutCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password;
  } catch {
    return false;
  }
}

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

/** Whose local data a key protects: `<userId>@<server host>`, also part of the database name. */
export const LocalDataScope = z
  .string()
  .min(3)
  .max(300)
  .regex(/^[\w.~-]+@[\w.:[\]-]+$/, 'not a local data scope (<userId>@<server host>)');

/**
 * The scope of a user's local data: `<userId>@<server host>`. Two users, or one user on two
 * servers, never share a database or a key. Main derives it itself from the user its window is
 * bound to, so a renderer cannot name another user's scope.
 */
export function localScope(userId: string, serverUrl: string): string {
  const host = new URL(serverUrl).host;
  const safeUser = userId.replace(/[^\w.~-]/g, '_');
  return `${safeUser}@${host}`;
}

/**
 * The key scope of the recorder's upload queue: one per server on this machine, not per user
 * (chunks wait across sign-outs; each chunk names its user). No user id starts with "~".
 */
export function recorderKeyScope(serverUrl: string): string {
  return `~recorder@${new URL(serverUrl).host}`;
}

/**
 * How well the key is protected at rest: `os` by the OS keychain (on Linux only the known keyring
 * backends: GNOME libsecret, KWallet); `basic_text` by anything else, e.g. Linux's fallback store
 * with a fixed password (warn the user).
 */
export const LocalKeyProtection = z.enum(['os', 'basic_text']);
export type LocalKeyProtection = z.infer<typeof LocalKeyProtection>;

export const LocalDataKeyMaterial = z.object({
  /** 32 random bytes, base64: an AES-256-GCM key the renderer imports as non-extractable. */
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'not a base64 256-bit key'),
  protection: LocalKeyProtection,
  /** What to tell the user when the protection is weaker than the OS keychain; else null. */
  warning: z.string().max(1000).nullable(),
});
export type LocalDataKeyMaterial = z.infer<typeof LocalDataKeyMaterial>;

/** Where the desktop app's automatic update stands. */
export const UpdateStatus = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'downloading', 'ready', 'error']),
  /** The version found, being downloaded or ready; null when none. */
  version: z.string().max(100).nullable(),
  interactionLive: z.boolean(),
  /** True only when an update is ready and no interaction is live. */
  canInstallNow: z.boolean(),
  /** A sentence for the user (why disabled, what failed, what happens next), or null. */
  message: z.string().max(1000).nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const InstallUpdateAnswer = z.object({
  installing: z.boolean(),
  /** Why not, in words for the user. */
  reason: z.string().max(1000).nullable(),
});
export type InstallUpdateAnswer = z.infer<typeof InstallUpdateAnswer>;
/**
 * Why a key cannot be handed out now. The local data stays closed (never replaced) and the app
 * retries: `keychain_unavailable` (safeStorage says no), `unseal_failed` (the keychain refused or
 * no longer opens the sealed key), `keys_file_unreadable` (the keys file cannot be read or parsed),
 * `not_signed_in` (this window is bound to no user, or to another one).
 */
export const LocalKeyUnavailableReason = z.enum(['keychain_unavailable', 'unseal_failed', 'keys_file_unreadable', 'not_signed_in']);
export type LocalKeyUnavailableReason = z.infer<typeof LocalKeyUnavailableReason>;

export const LocalDataKeyAnswer = z.discriminatedUnion('status', [
  LocalDataKeyMaterial.extend({ status: z.literal('ready') }),
  z.object({ status: z.literal('unavailable'), reason: LocalKeyUnavailableReason, message: z.string().max(1000) }),
]);
export type LocalDataKeyAnswer = z.infer<typeof LocalDataKeyAnswer>;

/** An interaction's id as the server makes them (UUIDs); also what a notification click hands back. */
export const OfferInteractionId = z.string().min(1).max(100).regex(/^[\w-]+$/, 'not an interaction id');

/** An offer notification: the offer it leads to and the words shown (no more than the offer card shows). */
export const OfferNotification = z.object({
  interactionId: OfferInteractionId,
  title: z.string().min(1).max(200),
  body: z.string().max(500),
});
export type OfferNotification = z.infer<typeof OfferNotification>;

/** The dock/taskbar badge: a count of things waiting; 0 clears it. */
export const BadgeCount = z.number().int().min(0).max(9999);

/** What the renderer shows main to bind its window to the signed-in user: main checks it with the server. */
export const LocalDataSessionProof = z.object({
  serverUrl: ServerUrl,
  userId: z.string().min(1).max(200),
  token: z.string().min(1).max(1000),
});
export type LocalDataSessionProof = z.infer<typeof LocalDataSessionProof>;
