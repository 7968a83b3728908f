/**
 * Content-Security-Policy for the app's own pages. Everything is locked to the app's files except
 * connect-src: the server URL is chosen by the user at sign-in, so HTTP and WebSocket connections
 * must be allowed to any http(s)/ws(s) origin. The same policy, less frame-ancestors (which a meta
 * tag cannot carry), is the meta tag in renderer/index.html (test/unit/main/csp.test.ts keeps them
 * equal), so the page is covered even where no header is (a file opened by hand, a proxy).
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:', 'mediastream:'],
  'font-src': ["'self'"],
  // The app's own workers (sync, share crop) and the web agent's service worker.
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'connect-src': ["'self'", 'http:', 'https:', 'ws:', 'wss:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const APP_CSP = Object.entries(CSP_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');

/** What the meta tag in renderer/index.html says: the header's policy less frame-ancestors. */
export const APP_META_CSP = Object.entries(CSP_DIRECTIVES)
  .filter(([name]) => name !== 'frame-ancestors')
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');

/** Headers on every response of the app protocol, errors included. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}
