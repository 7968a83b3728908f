import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, parseAppPath, resolveUnderRoot } from '../../../main/app-protocol';
import { APP_CSP } from '../../../main/csp';

describe('parseAppPath', () => {
  it('splits plain paths', () => {
    expect(parseAppPath('app://veildesk/assets/app.js')).toEqual({ ok: true, segments: ['assets', 'app.js'] });
    expect(parseAppPath('app://veildesk/')).toEqual({ ok: true, segments: [] });
    expect(parseAppPath('app://veildesk/calls/42/')).toEqual({ ok: true, segments: ['calls', '42'] });
    expect(parseAppPath('app://veildesk/a%20b.css')).toEqual({ ok: true, segments: ['a b.css'] });
  });

  it.each([
    'app://veildesk/assets/%2e%2e%2fsecret',
    'app://veildesk/..%2f..%2fetc/passwd',
    'app://veildesk/assets%2F..%2F..%2Fpackage.json',
    'app://veildesk/a%5c..%5csecret',
    'app://veildesk//etc/passwd',
    'app://veildesk/C:/Windows/win.ini',
    'app://veildesk/%2e%2e%2e/x',
    'app://veildesk/.env',
    'app://veildesk/x%00.html',
    'app://veildesk/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(parseAppPath(url)).toMatchObject({ ok: false, status: 403 });
  });

  it('treats other hosts and schemes as not found', () => {
    expect(parseAppPath('app://other/index.html')).toMatchObject({ ok: false, status: 404 });
    expect(parseAppPath('file:///etc/passwd')).toMatchObject({ ok: false, status: 404 });
  });

  it('never resolves outside the root', () => {
    expect(resolveUnderRoot('/srv/app', ['..', 'x'])).toBeNull();
    expect(resolveUnderRoot('/srv/app', ['/etc/passwd'])).toBeNull();
    expect(resolveUnderRoot('/srv/app', [])).toBeNull();
    expect(resolveUnderRoot('/srv/app', ['a', 'b.js'])).toBe(path.resolve('/srv/app/a/b.js'));
  });
});

describe('app protocol handler', () => {
  let base: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'veildesk-protocol-'));
    const root = path.join(base, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Veildesk</title>');
    await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(base, 'secret.txt'), 'do not serve');
    handler = createAppProtocolHandler({ rootDir: root });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves files with their type and the CSP', async () => {
    const response = await get('app://veildesk/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html for the root and for extensionless routes', async () => {
    for (const url of ['app://veildesk/', 'app://veildesk/index.html', 'app://veildesk/queue', 'app://veildesk/calls/7/']) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<title>Veildesk</title>');
    }
  });

  it('404s unknown files with an extension', async () => {
    const response = await get('app://veildesk/assets/missing.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it('refuses traversal out of the root', async () => {
    for (const url of ['app://veildesk/..%2fsecret.txt', 'app://veildesk/assets/%5c..%5c..%5csecret.txt', 'app://veildesk//etc/passwd']) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      expect(await response.text()).not.toContain('do not serve');
    }
    // The URL parser folds %2e%2e into the path, so this asks for /secret.txt inside the root.
    const folded = await get('app://veildesk/%2e%2e/secret.txt');
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('do not serve');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://veildesk/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://veildesk/index.html', 'POST')).status).toBe(405);
  });

  it('404s when the renderer has not been built', async () => {
    const bare = createAppProtocolHandler({ rootDir: path.join(base, 'nothing-here') });
    expect((await bare(new Request('app://veildesk/'))).status).toBe(404);
  });
});
