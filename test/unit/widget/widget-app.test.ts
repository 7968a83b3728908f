import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerWebApp } from '../../../server/http/web-app';
import { WEB_CSP } from '../../../server/http/security';
import { registerWidgetApp, widgetDirFor } from '../../../server/http/widget-app';

const temps: string[] = [];
const apps: FastifyInstance[] = [];

function tempDist(withWidget: boolean): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-widget-'));
  temps.push(root);
  fs.mkdirSync(path.join(root, 'renderer'));
  fs.writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html><title>agent</title>');
  if (withWidget) {
    fs.mkdirSync(path.join(root, 'widget', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'widget', 'index.html'), '<!doctype html><title>Contact us</title>');
    fs.writeFileSync(path.join(root, 'widget', 'assets', 'index-abc.js'), 'console.log(1)');
  }
  return root;
}

async function server(root: string): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  const staticDir = path.join(root, 'renderer');
  await registerWebApp(app, staticDir);
  await registerWidgetApp(app, widgetDirFor(staticDir));
  await app.ready();
  return app;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('widget app serving', () => {
  it('finds the build next to the web agent build', () => {
    expect(widgetDirFor('/srv/veildesk/dist/renderer')).toBe(path.join('/srv/veildesk/dist', 'widget'));
  });

  it('serves the built widget at /widget/ alongside the web app', async () => {
    const app = await server(tempDist(true));
    const page = await app.inject('/widget/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Contact us');
    expect(page.headers['cache-control']).toBe('no-cache');

    const asset = await app.inject('/widget/assets/index-abc.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    expect((await app.inject('/')).body).toContain('agent');
    expect((await app.inject('/widget/assets/missing.js')).statusCode).toBe(404);
  });

  it('serves the web agent\'s service worker uncached from the root, under a CSP that allows it', async () => {
    const root = tempDist(false);
    fs.writeFileSync(path.join(root, 'renderer', 'sw.js'), 'self.addEventListener("fetch", () => undefined);');
    const app = await server(root);
    const sw = await app.inject('/sw.js');
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['content-type']).toContain('javascript');
    expect(sw.headers['cache-control']).toBe('no-cache, max-age=0');
    expect(WEB_CSP).toContain("worker-src 'self'");
    expect(WEB_CSP).toContain("script-src 'self'");
  });

  it('redirects /widget to /widget/ and keeps the query', async () => {
    const app = await server(tempDist(true));
    const r = await app.inject('/widget?testHooks=1');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/widget/?testHooks=1');
    expect((await app.inject('/widget')).headers.location).toBe('/widget/');
  });

  it('answers 503 with the build command when the widget is not built', async () => {
    const app = await server(tempDist(false));
    for (const url of ['/widget/', '/widget/assets/index.js']) {
      const r = await app.inject(url);
      expect(r.statusCode).toBe(503);
      expect(r.body).toContain('npm run build:widget');
    }
    expect((await app.inject('/widget')).statusCode).toBe(302);
  });
});
