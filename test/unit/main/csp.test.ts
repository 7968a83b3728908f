import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_META_CSP, CSP_DIRECTIVES, securityHeaders } from '../../../main/csp';
import { WEB_CSP } from '../../../server/http/security';

const indexHtml = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');

function metaCsp(html: string): string | null {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return match?.[1] ?? null;
}

function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

/** The sources that apply to a fetch directive under CSP's fallback (worker → script → default). */
function effective(policy: Map<string, string[]>, directive: string): string[] {
  const chain = directive === 'worker-src' ? ['worker-src', 'child-src', 'script-src', 'default-src'] : [directive, 'default-src'];
  for (const name of chain) {
    const sources = policy.get(name);
    if (sources) return sources;
  }
  return [];
}

describe('app CSP', () => {
  it('locks everything but connect-src to the app', () => {
    expect(APP_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
        "media-src 'self' blob: mediastream:; font-src 'self'; worker-src 'self'; manifest-src 'self'; " +
        "connect-src 'self' http: https: ws: wss:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(APP_CSP).not.toContain('unsafe');
  });

  it('is sent with nosniff', () => {
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff' });
  });

  it('is also the meta tag of renderer/index.html, less frame-ancestors (ignored in a meta tag)', () => {
    expect(metaCsp(indexHtml)).toBe(APP_META_CSP);
    expect(APP_META_CSP).not.toContain('frame-ancestors');
    // Placed before any script, so it governs every one.
    expect(indexHtml.indexOf('Content-Security-Policy')).toBeLessThan(indexHtml.indexOf('<script'));
  });

  it("blocks nothing the server's web-agent CSP allows, so the web agent behaves as before", () => {
    const meta = parse(APP_META_CSP);
    const server = parse(WEB_CSP);
    for (const directive of ['script-src', 'style-src', 'img-src', 'media-src', 'font-src', 'worker-src', 'manifest-src', 'connect-src']) {
      const allowed = effective(meta, directive);
      for (const source of effective(server, directive)) expect(allowed, `${directive} ${source}`).toContain(source);
    }
    // And never looser on scripts than the server.
    expect(effective(meta, 'script-src')).toEqual(effective(server, 'script-src'));
    expect(Object.keys(CSP_DIRECTIVES)).toContain('frame-ancestors');
  });
});
