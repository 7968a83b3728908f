/**
 * Builds backend URLs from a server address: the one the agent chose, or the page's own origin for
 * the widget. Paths are resolved relative to the server URL (not its origin) so a server published
 * under a sub-path behind a proxy still works.
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
