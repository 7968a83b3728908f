import { describe, expect, it } from 'vitest';
import { APP_CSP, securityHeaders } from '../../../main/csp';

describe('app CSP', () => {
  it('locks everything but connect-src to the app', () => {
    expect(APP_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
        "media-src 'self' blob: mediastream:; font-src 'self'; connect-src 'self' http: https: ws: wss:; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(APP_CSP).not.toContain('unsafe');
  });

  it('is sent with nosniff', () => {
    expect(securityHeaders()).toMatchObject({ 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff' });
  });
});
