import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATIC_DOTFILES, staticPathAllowed } from './static-files';

/** Where `npm run build:widget` puts the customer widget: next to the web agent's build (dist/renderer → dist/widget). */
export function widgetDirFor(staticDir: string): string {
  return path.join(path.dirname(path.resolve(staticDir)), 'widget');
}

/**
 * Serves the customer web widget (widget/, built to dist/widget) at `/widget/`. `/widget`
 * redirects there, keeping the query string. When it has not been built, every widget URL answers
 * 503 with the command that builds it, instead of a bare 404.
 */
export async function registerWidgetApp(app: FastifyInstance, widgetDir: string): Promise<void> {
  app.get('/widget', async (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`/widget/${query >= 0 ? request.url.slice(query) : ''}`, 302);
  });

  if (fs.existsSync(path.join(widgetDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: widgetDir,
      prefix: '/widget/',
      // The web app registers @fastify/static too and owns reply.sendFile.
      decorateReply: false,
      index: ['index.html'],
      wildcard: true,
      cacheControl: false,
      dotfiles: STATIC_DOTFILES,
      allowedPath: staticPathAllowed,
      setHeaders(res, filePath) {
        // Hashed assets never change; the page itself is always revalidated so a rebuild shows at once.
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    return;
  }

  const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(503)
      .type('text/plain; charset=utf-8')
      .send(`The customer widget has not been built (${widgetDir}/index.html is missing). Run \`npm run build:widget\`, then restart the server.`);
  app.get('/widget/', notBuilt);
  app.get('/widget/*', notBuilt);
}
