import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { clusterAvailable, leaseMovedToB, twoNodes, until, type TwoNodes } from '../support/two-nodes';
import { api, customerSocket, login, nextFrame, wsConnect, type TestSocket } from './helpers';

/*
 * A consult (warm transfer) in progress when the routing lease's holder dies: the node taking over
 * resumes it from the consults table. agent1 (node A) has a caller (node B) and consults agent2
 * (node B); a second caller waits meanwhile. Node A is killed; everyone reconnects to node B; the
 * consult is there again for both agents, agent2 is still held for it (the waiting caller is not
 * offered to them), and completing or cancelling it then works, with one history and no doubles.
 */

const available = await clusterAvailable('cluster-consult.test.ts');
// As in cluster-calls.test.ts: a longer TTL keeps node A's lease while a saturated machine starts the nodes.
const LEASE = { VEILDESK_LEASE_TTL_MS: '6000', VEILDESK_LEASE_RENEW_MS: '1000' };
const TAKEOVER_WITHIN_MS = 6_000 + 1_000 + 3_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

type ConsultState = ServerMessageOf<'consult.state'>;
const isState = (state: string) => (f: ServerMessage) => f.type === 'customer.state' && f.state === state;
const isConsult =
  (state: ConsultState['consult']['state'], attempt?: number) =>
  (f: ServerMessage): boolean =>
    f.type === 'consult.state' && f.consult.state === state && (attempt === undefined || f.consult.attempt === attempt);
const offersOf = (ws: TestSocket, id: string) => ws.frames.filter((f) => f.type === 'offer' && f.interaction.id === id).length;

interface Agent {
  login: Awaited<ReturnType<typeof login>>;
  ws: TestSocket;
}

interface ConsultScene {
  agent1: Agent;
  agent2: Agent;
  call: { id: string; token: string; ws: TestSocket };
  waiting: { id: string; token: string; ws: TestSocket };
  consultId: string;
}

async function startCall(url: string, name: string): Promise<{ id: string; token: string; ws: TestSocket }> {
  const started = await api(url, '/api/widget/interactions', { json: { kind: 'call', queueId: 'general', customer: { name } } });
  expect(started.status).toBe(201);
  const { interactionId: id, customerToken: token } = started.body as { interactionId: string; customerToken: string };
  const { ws } = await customerSocket(url, token);
  return { id, token, ws };
}

/** agent1 on node A takes a call from node B, consults agent2 (node B), who answers; a second caller waits. */
async function consultInProgress({ a, b }: TwoNodes): Promise<ConsultScene> {
  const login1 = await login(a.url, 'agent1');
  const agent1 = { login: login1, ws: await wsConnect(a.url, login1.token) };
  const call = await startCall(b.url, 'Casey Caller');
  await nextFrame(agent1.ws, (f) => f.type === 'offer' && f.interaction.id === call.id, 10_000);
  agent1.ws.send({ type: 'offer.accept', interactionId: call.id });
  await nextFrame(agent1.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === call.id, 10_000);
  await nextFrame(call.ws, isState('connected'), 10_000);

  // agent2 signs in only now, so the first call was agent1's.
  const login2 = await login(b.url, 'agent2');
  const agent2 = { login: login2, ws: await wsConnect(b.url, login2.token) };
  agent1.ws.send({ type: 'consult.start', interactionId: call.id, toUserId: login2.user.id });
  const consultId = (await nextFrame<ConsultState>(agent2.ws, isConsult('ringing', 0), 10_000)).consult.id;
  await nextFrame(call.ws, isState('on_hold'), 10_000);
  agent2.ws.send({ type: 'consult.accept', consultId });
  await nextFrame(agent1.ws, isConsult('talking', 0), 10_000);
  await nextFrame(agent2.ws, isConsult('talking', 0), 10_000);

  // Both agents are busy (agent1 on the call, agent2 held for the consult): a second caller waits.
  const waiting = await startCall(b.url, 'Wendy Waiting');
  await nextFrame(waiting.ws, isState('waiting'), 10_000);
  expect(offersOf(agent1.ws, waiting.id) + offersOf(agent2.ws, waiting.id)).toBe(0);
  return { agent1, agent2, call, waiting, consultId };
}

/** Kills node A; the agents and both callers reconnect to node B; the consult is back for both agents, talking, with a new audio attempt. */
async function takeOver(nodes: TwoNodes, scene: ConsultScene): Promise<ConsultScene> {
  const { a, b } = nodes;
  const killedAt = Date.now();
  a.process.kill('SIGKILL');
  const { takeoverMs } = await leaseMovedToB(nodes, killedAt, TAKEOVER_WITHIN_MS);
  console.log(`lease moved to node B ${takeoverMs} ms after the holder was killed mid-consult`);
  await Promise.all([scene.agent1.ws.closed, scene.agent2.ws.closed, scene.call.ws.closed, scene.waiting.ws.closed]);
  expect(scene.call.ws.frames.some(isState('ended'))).toBe(false);

  const reconnect = (token: string) => until(() => wsConnect(b.url, token).catch(() => null), 10_000, 'back on node B');
  const agent1 = { login: scene.agent1.login, ws: await reconnect(scene.agent1.login.token) };
  const reopened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent1.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === scene.call.id, 10_000);
  expect(reopened.interaction).toMatchObject({ kind: 'call', status: 'active', onHold: true, agentId: scene.agent1.login.user.id });
  // The consult as it was, with a new audio attempt (the peer between the agents lost its signalling path).
  const back = await nextFrame<ConsultState>(agent1.ws, isConsult('talking', 1), 10_000);
  expect(back.consult).toMatchObject({ id: scene.consultId, interactionId: scene.call.id, fromUserId: scene.agent1.login.user.id, toUserId: scene.agent2.login.user.id });
  const agent2 = { login: scene.agent2.login, ws: await reconnect(scene.agent2.login.token) };
  expect((await nextFrame<ConsultState>(agent2.ws, isConsult('talking', 2), 10_000)).consult.id).toBe(scene.consultId);
  await nextFrame(agent1.ws, isConsult('talking', 2), 10_000);
  // agent2 never got the consulted call as their own on node B.
  expect(agent2.ws.frames.some((f) => f.type === 'interaction.opened' && f.interaction.id === scene.call.id)).toBe(false);

  const call = { ...scene.call, ws: (await until(() => customerSocket(b.url, scene.call.token).catch(() => null), 10_000, 'the caller back on node B')).ws };
  await nextFrame(call.ws, isState('on_hold'), 10_000);
  const waiting = { ...scene.waiting, ws: (await until(() => customerSocket(b.url, scene.waiting.token).catch(() => null), 10_000, 'the waiting caller back on node B')).ws };
  await nextFrame(waiting.ws, isState('waiting'), 10_000);

  // The board on the new holder: both agents in the consult, the second caller waiting, offered to nobody.
  const superLogin = await login(b.url, 'super1');
  const supervisor = await wsConnect(b.url, superLogin.token);
  await nextFrame(
    supervisor,
    (f) =>
      f.type === 'board' &&
      f.agents.some((r) => r.userId === agent1.login.user.id && r.activity === 'consult') &&
      f.agents.some((r) => r.userId === agent2.login.user.id && r.activity === 'consult') &&
      f.queues.some((q) => q.queueId === 'general' && q.waiting === 1),
    10_000,
  );
  expect(offersOf(agent2.ws, waiting.id)).toBe(0);

  // The consult's signalling path is back: the call's agent offers the new peer, agent2 gets it.
  agent1.ws.send({ type: 'consult.signal', consultId: scene.consultId, signal: { type: 'offer', sdp: 'v=0\r\ns=consult after takeover\r\n' } });
  await nextFrame(agent2.ws, (f) => f.type === 'consult.signal' && f.consultId === scene.consultId, 10_000);
  return { ...scene, agent1, agent2, call, waiting };
}

async function consultRows(nodes: TwoNodes, interactionId: string): Promise<{ outcome: string | null; ended_at: string | null }[]> {
  const client = new pg.Client({ connectionString: nodes.databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ outcome: string | null; ended_at: string | null }>('select outcome, ended_at from consults where interaction_id = $1', [interactionId])).rows;
  } finally {
    await client.end();
  }
}

async function wrapUp(url: string, agent: Agent, id: string): Promise<ServerMessageOf<'interaction.opened'>['interaction']> {
  agent.ws.send({ type: 'interaction.end', interactionId: id });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.required' && f.interactionId === id, 10_000);
  agent.ws.send({ type: 'wrapup.submit', interactionId: id, disposition: 'Resolved', notes: '' });
  await nextFrame(agent.ws, (f) => f.type === 'wrapup.done' && f.interactionId === id, 10_000);
  const res = await api(url, `/api/interactions/${id}`, { token: agent.login.token });
  expect(res.status).toBe(200);
  return res.body as ServerMessageOf<'interaction.opened'>['interaction'];
}

describe.skipIf(!available)('a consult across a takeover', () => {
  it('the holder dies mid-consult: on node B the consult is back for both agents, agent2 still held for it, and completing it hands the caller to agent2', async () => {
    const nodes = await twoNodes(cleanups, LEASE);
    expect((await until(nodes.lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');
    const scene = await takeOver(nodes, await consultInProgress(nodes));
    const { agent1, agent2, call, waiting } = scene;

    agent1.ws.send({ type: 'consult.complete', consultId: scene.consultId });
    const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent2.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === call.id, 10_000);
    expect(opened.interaction).toMatchObject({ status: 'active', agentId: agent2.login.user.id, onHold: false });
    await nextFrame(agent2.ws, isConsult('completed'), 10_000);
    await nextFrame(agent1.ws, isConsult('completed'), 10_000);
    await nextFrame(call.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName === 'Ben Agent', 10_000);
    // agent1 is free again: the waiting caller is offered to them (agent2 now has the call).
    await nextFrame(agent1.ws, (f) => f.type === 'offer' && f.interaction.id === waiting.id, 10_000);
    expect(offersOf(agent2.ws, waiting.id)).toBe(0);

    const done = await wrapUp(nodes.b.url, agent2, call.id);
    expect(done).toMatchObject({ status: 'closed', agentId: agent2.login.user.id });
    // One history: each step once, across the takeover.
    expect(done.timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered', 'held', 'consult_started', 'consult_answered', 'transferred', 'ended', 'wrapup_submitted']);
    expect(done.timeline.find((e) => e.type === 'transferred')?.details).toMatchObject({ consult: true });
    expect(await consultRows(nodes, call.id)).toEqual([{ outcome: 'completed', ended_at: expect.any(String) }]);
  }, 120_000);

  it('the holder dies mid-consult: on node B agent2 cancels it; the caller is back with agent1, off hold, and agent2 takes the waiting caller', async () => {
    const nodes = await twoNodes(cleanups, LEASE);
    expect((await until(nodes.lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');
    const scene = await takeOver(nodes, await consultInProgress(nodes));
    const { agent1, agent2, call, waiting } = scene;

    agent2.ws.send({ type: 'consult.cancel', consultId: scene.consultId });
    expect((await nextFrame<ConsultState>(agent1.ws, isConsult('cancelled'), 10_000)).consult.reason).toBe('cancelled');
    await nextFrame(agent2.ws, isConsult('cancelled'), 10_000);
    await nextFrame(call.ws, (f) => f.type === 'customer.state' && f.state === 'connected' && f.agentName !== 'Ben Agent', 10_000);
    // agent2 is released from the consult: the waiting caller goes to them.
    await nextFrame(agent2.ws, (f) => f.type === 'offer' && f.interaction.id === waiting.id, 10_000);
    expect(offersOf(agent1.ws, waiting.id)).toBe(0);

    const done = await wrapUp(nodes.b.url, agent1, call.id);
    expect(done).toMatchObject({ status: 'closed', agentId: agent1.login.user.id });
    expect(done.timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered', 'held', 'consult_started', 'consult_answered', 'consult_cancelled', 'resumed', 'ended', 'wrapup_submitted']);
    expect(await consultRows(nodes, call.id)).toEqual([{ outcome: 'cancelled', ended_at: expect.any(String) }]);
  }, 120_000);
});
