import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { securityHeaders } from './csp';
import { type Logger, silentLogger } from './log';

/**
 * Privileges for protocol.registerSchemesAsPrivileged. standard gives the scheme a real origin
 * ('self' in the CSP, relative URLs); secure makes it a secure context so getUserMedia works;
 * fetch/cors/stream are what Vite's module scripts and media need. No bypassCSP.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  stream: true,
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.webm': 'video/webm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AppPath =
  | { ok: true; segments: string[] }
  | { ok: false; status: 403 | 404; reason: string };

/**
 * Turns an app:// URL into path segments under the renderer root, refusing anything that could
 * step outside it: dot segments, encoded or back slashes, empty segments (absolute paths like
 * `//etc/passwd`), drive letters, NUL bytes and dotfiles.
 */
export function parseAppPath(requestUrl: string): AppPath {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 404, reason: 'unparsable URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 404, reason: 'not an app URL' };
  }
  const raw = url.pathname;
  if (/%2f|%5c|%00|\\/i.test(raw)) return { ok: false, status: 403, reason: 'encoded separator' };
  const parts = raw.split('/').slice(1); // pathname always starts with '/'
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // trailing slash: a route
  const segments: string[] = [];
  for (const part of parts) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return { ok: false, status: 403, reason: 'malformed escape' };
    }
    if (segment === '') return { ok: false, status: 403, reason: 'empty segment' };
    if (segment.startsWith('.')) return { ok: false, status: 403, reason: 'dot segment' };
    if (/[/\\:\0]/.test(segment)) return { ok: false, status: 403, reason: 'forbidden character' };
    segments.push(segment);
  }
  return { ok: true, segments };
}

/** Joins segments under root and re-checks containment, in case parsing ever misses a trick. */
export function resolveUnderRoot(rootDir: string, segments: readonly string[]): string | null {
  const root = path.resolve(rootDir);
  const target = path.resolve(root, ...segments);
  const relative = path.relative(root, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return target;
}

async function isFile(filePath: string): Promise<boolean> {
  try {
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function textResponse(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export interface AppProtocolOptions {
  /** dist/renderer: where Vite puts index.html and assets. */
  rootDir: string;
  log?: Logger;
}

/**
 * The protocol.handle handler for app://veildesk/. Files come from rootDir only; an unknown
 * path without an extension is a client-side route and gets index.html; anything else unknown
 * is a 404.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const log = options.log ?? silentLogger;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method Not Allowed');
    const parsed = parseAppPath(request.url);
    if (!parsed.ok) {
      if (parsed.status === 403) log.warn('app protocol refused a path', { url: request.url, reason: parsed.reason });
      return textResponse(parsed.status, parsed.status === 403 ? 'Forbidden' : 'Not Found');
    }
    const segments = parsed.segments.length === 0 ? ['index.html'] : parsed.segments;
    let filePath = resolveUnderRoot(options.rootDir, segments);
    if (filePath === null) return textResponse(403, 'Forbidden');
    if (!(await isFile(filePath))) {
      const last = segments[segments.length - 1] ?? '';
      if (path.extname(last) !== '') return textResponse(404, 'Not Found');
      filePath = resolveUnderRoot(options.rootDir, ['index.html']);
      if (filePath === null || !(await isFile(filePath))) return textResponse(404, 'Not Found');
    }
    try {
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(filePath));
      return new Response(body, {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': contentTypeFor(filePath) },
      });
    } catch (error) {
      log.error('app protocol could not read a file', { filePath, error: String(error) });
      return textResponse(500, 'Internal Error');
    }
  };
}
