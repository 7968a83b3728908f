/**
 * Builds backend URLs from the server address the user chose. Paths are resolved relative to the
 * server URL (not its origin) so a server published under a sub-path behind a proxy still works.
 */

function withTrailingSlash(serverUrl: string): URL {
  const url = new URL(serverUrl);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}

/** http(s)://host[/base]/<path> for an API route such as `api/auth/login`. */
export function apiUrl(serverUrl: string, path: string): string {
  return new URL(path.replace(/^\/+/, ''), withTrailingSlash(serverUrl)).toString();
}

/** ws(s)://host[/base]/ws: the socket always shares the server's host and TLS setting. */
export function wsUrl(serverUrl: string): string {
  const url = new URL('ws', withTrailingSlash(serverUrl));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Turns what a person typed into a canonical server URL, or explains what is wrong.
 * Keeps any sub-path but drops a trailing slash, query and fragment so the stored value is stable.
 */
export function normalizeServerUrl(input: string): { ok: true; url: string } | { ok: false; message: string } {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, message: 'Enter the server address, for example https://veildesk.example.com.' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, message: 'Enter the server address starting with http:// or https://.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'Enter the server address starting with http:// or https://.' };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'The server address must not contain a user name or password.' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.origin}${path}` };
}
