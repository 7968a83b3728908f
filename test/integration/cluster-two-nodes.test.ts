import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { clusterAvailable, leaseMovedToB, twoNodes as startTwoNodes, until } from '../support/two-nodes';
import { PROTOCOL_VERSION } from '../../shared/version';
import { api, customerSocket, login, nextFrame, wsConnect } from './helpers';

const available = await clusterAvailable('cluster-two-nodes.test.ts');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
const twoNodes = () => startTwoNodes(cleanups);

type ChatFrame = ServerMessageOf<'chat.message'>;
const isChat = (f: ServerMessage): f is ChatFrame => f.type === 'chat.message';

describe.skipIf(!available)('two nodes, one PostgreSQL, one Redis', () => {
  it('agent on node A gets a customer of node B, they chat both ways in order; killing A moves the lease to B and the agent back onto B within 5 s, and the chat goes on there, nothing lost or doubled', async () => {
    const nodes = await twoNodes();
    const { a, b, lease } = nodes;
    expect((await until(lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');

    const agentLogin = await login(a.url, 'agent1');
    const agent = await wsConnect(a.url, agentLogin.token);

    // The customer arrives on node B: its start (HTTP) and its socket go through B.
    const started = await api(b.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', customer: { name: 'Casey Customer' } } });
    expect(started.status).toBe(201);
    const { interactionId: id, customerToken } = started.body as { interactionId: string; customerToken: string };
    const customer = await customerSocket(b.url, customerToken);

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
    // As the app does behind the load balancer, agent1 tries node B at once: B relays it to A (not yet
    // known to be dead); when the lease moves B keeps the socket, its hello unanswered, and answers it
    // once it serves. One socket, no second try.
    const agentAgain = await wsConnect(b.url);
    agentAgain.send({ type: 'hello', protocol: PROTOCOL_VERSION, token: agentLogin.token });
    customer.ws.send({ type: 'chat.send', interactionId: id, clientMsgId: 'c4', text: 'customer says c4' });
    const { lease: after, takeoverMs } = await leaseMovedToB(nodes, killedAt);
    console.log(`routing lease takeover after the holder was killed: ${takeoverMs} ms (token ${before.token} → ${after.token})`);
    expect(takeoverMs).toBeLessThan(5_000);
    expect(after.token).toBeGreaterThan(before.token);
    // The customer's relay to the dead node closes so its widget reconnects.
    const closed = await Promise.race([customer.ws.closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(closed?.code).toBe(1012);
    expect(customer.ws.frames.some((f) => isChat(f) && f.clientMsgId === 'c4')).toBe(false);

    // Both are back on node B and get the conversation as stored.
    await nextFrame(agentAgain, (f) => f.type === 'hello.ok', 10_000);
    const reopened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agentAgain, (f) => f.type === 'interaction.opened' && f.interaction.id === id, 10_000);
    const reconnectedMs = Date.now() - killedAt;
    console.log(`agent1 back on node B ${reconnectedMs} ms after the kill (its conversation open again)`);
    // Issue 18: within 5 s of the kill.
    expect(reconnectedMs).toBeLessThan(5_000);
    expect(agentAgain.frames.filter((f) => f.type === 'error')).toEqual([]);
    expect(reopened.interaction.status).toBe('active');
    const again = await until(() => customerSocket(b.url, customerToken).catch(() => null), 10_000, 'customer back on node B');
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
