import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../shared/api/endpoints';
import { routes } from '../../shared/api/routes';
import { startBackend, type TestBackend } from './helpers';

/**
 * Reads Fastify's route tree (printRoutes without common prefixes) into "METHOD /path" lines:
 * each line is a path piece under its parent, with the methods registered there.
 */
function registeredRoutes(tree: string): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) found.push(`${method} ${path}`);
  }
  return found;
}

describe('declared endpoints and the server routes', () => {
  let server: TestBackend;
  beforeAll(async () => {
    server = await startBackend();
  });
  afterAll(async () => {
    await server.close();
  });

  it('the server registers every endpoint declared in shared/api/routes.ts', () => {
    for (const route of Object.values(routes)) {
      expect(server.app.hasRoute({ method: route.method, url: route.path }), `${route.method} ${route.path}`).toBe(true);
    }
  });

  it('every /api route on the server is declared (none typed elsewhere), and each declaration has its schemas', () => {
    // The tree merges parameter names at one position (":id|:recordingId"); the test above checks the names.
    const shape = (route: string) => route.replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, ':param');
    // HEAD answers come with every GET on their own.
    const onServer = registeredRoutes(server.app.printRoutes({ commonPrefix: false }))
      .filter((r) => / \/api(\/|$)/.test(r) && !r.startsWith('HEAD '))
      .map(shape);
    const declared = Object.values(routes).map((r) => shape(`${r.method} ${r.path}`));
    expect(onServer.sort()).toEqual([...declared].sort());
    expect(Object.keys(endpoints).sort()).toEqual(Object.keys(routes).sort());
  });
});
