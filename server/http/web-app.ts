import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { STATIC_DOTFILES, staticPathAllowed } from './static-files';

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
    return;
  }
  app.get('/', async (_request, reply) =>
    reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send(`The web agent has not been built (${staticDir}/index.html is missing). Run \`npm run build:renderer\` and reload.`),
  );
}
