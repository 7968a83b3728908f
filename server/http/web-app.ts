import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { STATIC_DOTFILES, staticPathAllowed } from './static-files';

/** The web agent's service worker (docs/architecture.md, "Offline web agent"), built next to index.html. */
export const SERVICE_WORKER_FILE = 'sw.js';

/**
 * Serves the built web agent (renderer) at `/`. When it has not been built, `/` says how to build
 * it instead of failing with a bare 404.
 */
export async function registerWebApp(app: FastifyInstance, staticDir: string): Promise<void> {
  if (fs.existsSync(path.join(staticDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: staticDir, prefix: '/', index: ['index.html'], wildcard: true, cacheControl: true, maxAge: 0,
      dotfiles: STATIC_DOTFILES,
      allowedPath: staticPathAllowed,
    });
    if (fs.existsSync(path.join(staticDir, SERVICE_WORKER_FILE))) {
      // Its own route: never kept by a cache, so a new build's worker (and its precache list) is
      // seen at the next page load; its scope is the folder it is served from (/).
      app.get(`/${SERVICE_WORKER_FILE}`, (_request, reply) =>
        reply.header('cache-control', 'no-cache, max-age=0').sendFile(SERVICE_WORKER_FILE, staticDir, { cacheControl: false }),
      );
    }
    return;
  }
  app.get('/', async (_request, reply) =>
    reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send(`The web agent has not been built (${staticDir}/index.html is missing). Run \`npm run build:renderer\` and reload.`),
  );
}
