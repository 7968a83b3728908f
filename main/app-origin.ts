/** The renderer is served from `app://veildesk/…`, a privileged scheme registered in main.ts. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'veildesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Origin of a URL as Chromium sees it. Node's URL reports "null" for schemes it does not know
 * (like app:), while Chromium treats our registered standard scheme as a real origin, so build
 * scheme://host[:port] ourselves. Returns null for unparsable input or opaque URLs.
 */
export function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (!url.host) return null;
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

export function isAppUrl(value: string, appOrigin: string = APP_ORIGIN): boolean {
  return originOf(value) === appOrigin;
}
