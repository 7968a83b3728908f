import type { FastifyInstance, FastifyRequest } from 'fastify';

/** CSP for pages the backend serves: only our own scripts, styles and connections. */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // The web agent's sync and share workers and its service worker (sw.js) come from our own files.
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Same-origin requests, non-browser clients (no Origin) and the configured origins may call the API. */
export function originAllowed(origin: string | undefined, request: FastifyRequest, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  const host = request.headers.host;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Security headers on every response, and CORS for the desktop app (its pages come from the
 * app:// protocol, so its API calls are cross-origin). Preflights are answered here.
 */
export function installSecurityHeaders(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'content-security-policy': WEB_CSP,
    });
    const origin = request.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      reply.headers({
        'access-control-allow-origin': origin,
        'access-control-allow-headers': 'authorization, content-type',
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      if (request.method === 'OPTIONS') return reply.status(204).send();
    }
  });
}
