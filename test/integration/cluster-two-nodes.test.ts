import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { startTestServer, type TestServer } from '../support/server';
import { createEmptyPostgresDatabase, postgresAnswers } from '../support/test-database';
import { redisAnswers, redisNamespace, TEST_REDIS_URL } from '../support/test-redis';
import { api, login, nextFrame, wsConnect, type TestSocket } from './helpers';

const redisUp = await redisAnswers();
const postgresUp = await postgresAnswers();
// CI always has both (it sets VEILDESK_TEST_REDIS_URL, which makes a silent Redis throw above, and VEILDESK_REQUIRE_POSTGRES=1).
if (!postgresUp && process.env.VEILDESK_REQUIRE_POSTGRES === '1') throw new Error('PostgreSQL does not answer at VEILDESK_TEST_POSTGRES_URL, and VEILDESK_REQUIRE_POSTGRES=1');
const available = redisUp && postgresUp;
if (!available) console.warn(`cluster-two-nodes.test.ts: skipped, ${redisUp ? '' : 'Redis (VEILDESK_TEST_REDIS_URL, default redis://127.0.0.1:6379) '}${postgresUp ? '' : 'PostgreSQL (VEILDESK_TEST_POSTGRES_URL) '}does not answer`);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

type ChatFrame = ServerMessageOf<'chat.message'>;
const isChat = (f: ServerMessage): f is ChatFrame => f.type === 'chat.message';

/** Two server processes on one PostgreSQL database and one Redis namespace. */
async function twoNodes(): Promise<{ a: TestServer; b: TestServer; lease(): Promise<{ nodeId: string; token: number } | null> }> {
  const db = await createEmptyPostgresDatabase();
  const ns = redisNamespace();
  const redis = new Redis(TEST_REDIS_URL);
  cleanups.push(db.drop, ns.clean, async () => void redis.disconnect());
  const env = (node: string) => ({
    VEILDESK_DATABASE_URL: db.url,
    VEILDESK_REDIS_URL: TEST_REDIS_URL,
    VEILDESK_REDIS_PREFIX: ns.prefix,
    VEILDESK_NODE_ID: node,
    VEILDESK_AUDIT_KEY: auditKey,
    VEILDESK_MEDIA_WORKERS: '0',
    VEILDESK_OFFER_TIMEOUT_MS: '20000',
    VEILDESK_CUSTOMER_GONE_MS: '30000',
    LOG_LEVEL: 'warn',
  });
  const auditKey = randomBytes(48).toString('base64');
  const start = async (node: string) => {
    const server = await startTestServer({ env: env(node) });
    cleanups.push(async () => {
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    });
    return server;
  };
  // One after the other: the first seeds the demo org and takes the lease.
  const a = await start('node-a');
  const b = await start('node-b');
  const lease = async () => {
    const value = await redis.get(`${ns.prefix}lease:routing`);
    return value ? (JSON.parse(value) as { nodeId: string; token: number }) : null;
  };
  return { a, b, lease };
}

async function customerSocket(url: string, interactionId: string, token: string): Promise<{ ws: TestSocket; hello: ServerMessageOf<'hello.customer'> }> {
  const ws = await wsConnect(url);
  ws.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
  const hello = await nextFrame<ServerMessageOf<'hello.customer'>>(ws, (f) => f.type === 'hello.customer' || f.type === 'error', 10_000);
  if (hello.type !== 'hello.customer') throw new Error(`customer hello refused: ${JSON.stringify(hello)}`);
  return { ws, hello };
}

async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!available)('two nodes, one PostgreSQL, one Redis', () => {
  it('agent on node A gets a customer of node B, they chat both ways in order; killing A moves the lease to B within 5 s and the chat goes on there, nothing lost or doubled', async () => {
    const { a, b, lease } = await twoNodes();
    expect((await until(lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');

    const agentLogin = await login(a.url, 'agent1');
    const agent = await wsConnect(a.url, agentLogin.token);

    // The customer arrives on node B: its start (HTTP) and its socket go through B.
    const started = await api(b.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', customer: { name: 'Casey Customer' } } });
    expect(started.status).toBe(201);
    const { interactionId: id, customerToken } = started.body as { interactionId: string; customerToken: string };
    const customer = await customerSocket(b.url, id, customerToken);

    const offer = await nextFrame<ServerMessageOf<'offer'>>(agent, (f) => f.type === 'offer' && f.interaction.id === id, 10_000);
    expect(offer.interaction).toMatchObject({ id, kind: 'chat', customer: { name: 'Casey Customer' } });
    agent.send({ type: 'offer.accept', interactionId: id });
    await nextFrame(agent, (f) => f.type === 'interaction.opened' && f.interaction.id === id, 10_000);
    await nextFrame(customer.ws, (f) => f.type === 'customer.state' && f.state === 'connected', 10_000);

    // Both ways, in order, each message once.
    const fromCustomer = ['c1', 'c2', 'c3'];
    for (const m of fromCustomer) customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: m, text: `customer says ${m}` });
    const fromAgent = ['a1', 'a2'];
    for (const m of fromAgent) agent.send({ type: 'chat.send', interactionId: id, clientMsgId: m, text: `agent says ${m}` });
    await nextFrame(agent, (f) => isChat(f) && f.clientMsgId === 'a2', 10_000);
    await until(async () => agent.frames.filter((f) => isChat(f) && f.message.from === 'customer').length === 3, 10_000, 'customer messages at the agent');
    await until(async () => customer.ws.frames.filter((f) => isChat(f) && f.message.from === 'agent').length === 2, 10_000, 'agent messages at the customer');
    const atAgent = agent.frames.filter(isChat).filter((f) => f.message.from === 'customer');
    expect(atAgent.map((f) => f.message.text)).toEqual(fromCustomer.map((m) => `customer says ${m}`));
    const atCustomer = customer.ws.frames.filter(isChat).filter((f) => f.message.from === 'agent');
    expect(atCustomer.map((f) => f.message.text)).toEqual(fromAgent.map((m) => `agent says ${m}`));
    const seqs = agent.frames.filter(isChat).map((f) => f.message.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    // Node A dies; the customer writes at that moment (over a relay to a dead node: no acknowledgement comes).
    const before = (await lease())!;
    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c4', text: 'customer says c4' });
    const after = await until(async () => {
      const l = await lease();
      return l && l.nodeId === 'node-b' ? l : null;
    }, 5_000, 'the lease on node B');
    const takeoverMs = Date.now() - killedAt;
    console.log(`routing lease takeover after the holder was killed: ${takeoverMs} ms (token ${before.token} → ${after.token})`);
    expect(takeoverMs).toBeLessThan(5_000);
    expect(after.token).toBeGreaterThan(before.token);
    // The customer's relay to the dead node closes so its widget reconnects.
    const closed = await Promise.race([customer.ws.closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(closed?.code).toBe(1012);
    expect(customer.ws.frames.some((f) => isChat(f) && f.clientMsgId === 'c4')).toBe(false);

    // Both reconnect to node B (as their apps do behind the load balancer) and get the conversation as stored.
    const reconnectStart = Date.now();
    const agentAgain = await until(() => wsConnect(b.url, agentLogin.token).catch(() => null), 10_000, 'agent1 back on node B');
    const reopened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agentAgain, (f) => f.type === 'interaction.opened' && f.interaction.id === id, 10_000);
    console.log(`agent1 connected to node B ${Date.now() - reconnectStart} ms after its first try (${Date.now() - killedAt} ms after the kill)`);
    expect(reopened.interaction.status).toBe('active');
    const again = await until(() => customerSocket(b.url, id, customerToken).catch(() => null), 10_000, 'customer back on node B');
    const stored = ['customer says c1', 'customer says c2', 'customer says c3', 'agent says a1', 'agent says a2'];
    expect(reopened.interaction.messages.map((m) => m.text).sort()).toEqual([...stored].sort());
    expect(again.hello.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);

    // The widget resends what was not acknowledged; the chat goes on both ways, each message once.
    again.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c4', text: 'customer says c4' });
    await nextFrame(again.ws, (f) => isChat(f) && f.clientMsgId === 'c4', 10_000);
    agentAgain.send({ type: 'chat.send', interactionId: id, clientMsgId: 'a3', text: 'agent says a3' });
    await nextFrame(agentAgain, (f) => isChat(f) && f.clientMsgId === 'a3', 10_000);
    await nextFrame(again.ws, (f) => isChat(f) && f.message.text === 'agent says a3', 10_000);
    const c4 = await until(async () => {
      const seen = agentAgain.frames.filter(isChat).filter((f) => f.message.text === 'customer says c4');
      return seen.length > 0 ? seen : null;
    }, 10_000, 'c4 at the agent');
    expect(c4.map((f) => f.message.seq)).toEqual([6]);
    const detail = await api(b.url, `/api/interactions/${id}`, { token: agentLogin.token });
    expect(detail.status).toBe(200);
    const texts = (detail.body as { messages: { seq: number; text: string }[] }).messages.map((m) => `${m.seq} ${m.text}`);
    expect(texts.slice(5)).toEqual(['6 customer says c4', '7 agent says a3']);
    expect(texts).toHaveLength(7);
  }, 120_000);

  it('revoking a user\'s sessions on one node closes their sockets on both with 4410; the board sees agents of both nodes; failed sign-ins count over both', async () => {
    const { a, b } = await twoNodes();
    const agentLogin = await login(b.url, 'agent1');
    const onA = await wsConnect(a.url, agentLogin.token);
    const onB = await wsConnect(b.url, agentLogin.token);
    // A supervisor on node B sees agent2 signed in on node A (presence is the lease holder's, whichever node the socket is on).
    const agent2 = await login(a.url, 'agent2');
    await wsConnect(a.url, agent2.token);
    const supervisor = await wsConnect(b.url, (await login(b.url, 'super1')).token);
    const roster = await nextFrame<ServerMessageOf<'roster.snapshot'>>(supervisor, (f) => f.type === 'roster.snapshot', 10_000);
    expect(roster.agents.find((e) => e.userId === agent2.user.id)?.presence).toBe('available');

    const admin = await login(b.url, 'admin');
    const revoked = await api(b.url, `/api/admin/users/${agentLogin.user.id}/revoke-sessions`, { method: 'POST', token: admin.token, json: {} });
    expect(revoked.status).toBe(200);
    const [closedA, closedB] = await Promise.all([onA.closed, onB.closed]);
    expect(closedA.code).toBe(4410);
    expect(closedB.code).toBe(4410);
    expect((await api(a.url, '/api/me', { token: agentLogin.token })).status).toBe(401);

    // Sign-in failures from one address for one username: counted once over both nodes.
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push((await api(i % 2 ? a.url : b.url, '/api/auth/login', { json: { username: 'agent3', password: 'wrong' } })).status);
    expect(tries.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(tries[5]).toBe(429);
  }, 120_000);
});
