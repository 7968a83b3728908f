import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Headers that belong to one hop (RFC 9110 §7.6.1), or that fetch has already undone (it decompresses). */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length', 'content-encoding']);

/**
 * On a node that does not hold the routing lease, API requests go to the node that does (the live
 * interactions are in its memory): the request is replayed there and its answer returned as is.
 * /api/health stays local (a load balancer asks each node about itself); the web app and widget
 * files are served locally. X-Forwarded-For carries the client's address: list the nodes in
 * VEILDESK_TRUST_PROXY so per-address limits on the holder count clients, not nodes.
 */
export function installHttpForwarding(app: FastifyInstance, leaderUrl: () => string | 'here' | null): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url;
    if (!path.startsWith('/api/') || path === '/api/health' || path.startsWith('/api/health?')) return;
    const target = leaderUrl();
    if (target === 'here') return;
    if (target === null) {
      await unavailable(reply);
      return reply;
    }
    await forward(request, reply, target);
    return reply;
  });
}

async function forward(request: FastifyRequest, reply: FastifyReply, base: string): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const forwardedFor = request.headers['x-forwarded-for'];
  headers.set('x-forwarded-for', forwardedFor ? `${String(forwardedFor)}, ${request.socket.remoteAddress ?? ''}` : (request.socket.remoteAddress ?? ''));
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let res: Response;
  try {
    res = await fetch(new URL(request.url, base), {
      method: request.method,
      headers,
      redirect: 'manual',
      ...(hasBody ? { body: request.raw as unknown as ReadableStream, duplex: 'half' } : {}),
    } as RequestInit);
  } catch {
    return unavailable(reply);
  }
  reply.code(res.status);
  res.headers.forEach((value, name) => {
    if (!HOP.has(name) && name !== 'set-cookie') reply.header(name, value);
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length > 0) reply.header('set-cookie', cookies);
  await reply.send(Buffer.from(await res.arrayBuffer()));
}

/** No node serves right now (the lease is moving): the client tries again shortly. */
async function unavailable(reply: FastifyReply): Promise<void> {
  await reply
    .code(503)
    .header('retry-after', '1')
    .send({ error: { code: 'unavailable', message: 'The server handling routing is changing over. Try again in a second.' } });
}
