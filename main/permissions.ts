import { originOf } from './app-origin';
import { type Logger, silentLogger } from './log';

/**
 * Permissions the app may ever be granted. 'media' for the call's microphone; 'display-capture'
 * for screen sharing (which source is granted is decided by main/capture/display-media.ts, never
 * by the page). Everything else (notifications, geolocation, HID, clipboard…) is denied.
 */
export const GRANTABLE_PERMISSIONS: ReadonlySet<string> = new Set(['media', 'display-capture']);
/** Calls are audio only: the camera is never granted, whatever the page asks. */
export const GRANTABLE_MEDIA_TYPES: ReadonlySet<string> = new Set(['audio']);

export interface PermissionQuery {
  permission: string;
  /** Origin (or URL) of the frame asking; only our own app origin can be granted anything. */
  requestingOrigin: string | null | undefined;
  appOrigin: string;
  /** For 'media': the kinds of device asked for. Only audio is granted; none named is refused. */
  mediaTypes?: readonly string[];
  /** A subframe never gets a grant, whatever its origin. */
  isMainFrame?: boolean;
  grantable?: ReadonlySet<string>;
}

/** Default-deny decision shared by the request and the check handler. */
export function decidePermission(query: PermissionQuery): boolean {
  const grantable = query.grantable ?? GRANTABLE_PERMISSIONS;
  if (!grantable.has(query.permission)) return false;
  if (query.isMainFrame === false) return false;
  if (originOf(query.requestingOrigin) !== query.appOrigin) return false;
  if (query.permission === 'media') {
    // A media request that names no device could be for the camera: refused.
    const types = query.mediaTypes ?? [];
    return types.length > 0 && types.every((type) => GRANTABLE_MEDIA_TYPES.has(type));
  }
  return true;
}

interface PermissionRequestDetails {
  requestingUrl?: string;
  securityOrigin?: string;
  mediaTypes?: string[];
  isMainFrame?: boolean;
}

interface PermissionCheckDetails {
  securityOrigin?: string;
  embeddingOrigin?: string;
  mediaType?: string;
  requestingUrl?: string;
  isMainFrame?: boolean;
}

/** The part of Electron's Session this module drives. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: PermissionRequestDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean,
  ): void;
}

export function installPermissionHandlers(session: PermissionSession, appOrigin: string, log: Logger = silentLogger): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = decidePermission({
      permission,
      requestingOrigin: details.securityOrigin ?? details.requestingUrl,
      appOrigin,
      mediaTypes: details.mediaTypes,
      isMainFrame: details.isMainFrame,
    });
    if (!granted) log.warn('permission request denied', { permission, origin: originOf(details.requestingUrl) });
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) => {
    // A cross-origin subframe check carries the embedder's origin; it is not ours to grant.
    if (details.embeddingOrigin && originOf(details.embeddingOrigin) !== appOrigin) return false;
    return decidePermission({
      permission,
      requestingOrigin: details.securityOrigin ?? requestingOrigin,
      appOrigin,
      mediaTypes: details.mediaType ? [details.mediaType] : undefined,
      isMainFrame: details.isMainFrame,
    });
  });
}
