import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { clusterAvailable, leaseMovedToB, twoNodes, until, type TwoNodes } from '../support/two-nodes';
import { api, customerSocket, login, nextFrame, wsConnect, type TestSocket } from './helpers';

const available = await clusterAvailable('cluster-calls.test.ts');
/*
 * What these tests show is the calls, not how fast the lease moves (cluster-two-nodes.test.ts
 * measures that with the default 3 s TTL): a longer TTL keeps node A from losing its lease (and
 * stopping, fail-stop) when the shared test machine is saturated while the nodes start.
 */
const LEASE = { VEILDESK_LEASE_TTL_MS: '6000', VEILDESK_LEASE_RENEW_MS: '1000' };
const TAKEOVER_WITHIN_MS = 6_000 + 1_000 + 3_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

type SignalFrame = ServerMessageOf<'call.signal'>;
const signals = (ws: TestSocket) => ws.frames.filter((f): f is SignalFrame => f.type === 'call.signal').map((f) => f.signal);
const isState = (state: string) => (f: ServerMessage) => f.type === 'customer.state' && f.state === state;

// The customer's widget makes the offer; the agent's app answers, and later restarts ICE with an offer of its own.
const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=customer\r\n' };
const CUSTOMER_ICE = { candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=agent\r\n' };
const AGENT_ICE = { candidate: { candidate: 'candidate:2 1 udp 2122260223 192.0.2.20 50002 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
const RESTART_OFFER = { type: 'offer', sdp: 'v=0\r\no=- 3 5 IN IP4 127.0.0.1\r\ns=agent ice restart\r\n' };
const RESTART_ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 1 3 IN IP4 127.0.0.1\r\ns=customer ice restart\r\n' };

interface ConnectedCall {
  id: string;
  customerToken: string;
  agentLogin: Awaited<ReturnType<typeof login>>;
  agent: TestSocket;
  customer: TestSocket;
}

/** agent1 signed in on node A, a widget caller on node B; offered, accepted, signalled (offer, answer, candidates both ways). */
async function callAcrossNodes({ a, b }: TwoNodes): Promise<ConnectedCall> {
  const agentLogin = await login(a.url, 'agent1');
  const agent = await wsConnect(a.url, agentLogin.token);
  const started = await api(b.url, '/api/widget/interactions', { json: { kind: 'call', queueId: 'general', customer: { name: 'Casey Caller' } } });
  expect(started.status).toBe(201);
  const { interactionId: id, customerToken } = started.body as { interactionId: string; customerToken: string };
  const { ws: customer } = await customerSocket(b.url, customerToken);

  const offer = await nextFrame<ServerMessageOf<'offer'>>(agent, (f) => f.type === 'offer' && f.interaction.id === id, 10_000);
  expect(offer.interaction).toMatchObject({ id, kind: 'call' });
  agent.send({ type: 'offer.accept', interactionId: id });
  const opened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent, (f) => f.type === 'interaction.opened' && f.interaction.id === id, 10_000);
  expect(opened.interaction).toMatchObject({ kind: 'call', status: 'active' });
  await nextFrame(customer, isState('connected'), 10_000);

  // Signalling crosses the nodes in order and untouched: B → Redis → A and back.
  customer.send({ type: 'call.signal', interactionId: id, signal: OFFER });
  customer.send({ type: 'call.signal', interactionId: id, signal: CUSTOMER_ICE });
  await until(async () => signals(agent).length === 2, 10_000, 'the customer\'s offer and candidate at the agent');
  expect(signals(agent)).toEqual([OFFER, CUSTOMER_ICE]);
  agent.send({ type: 'call.signal', interactionId: id, signal: ANSWER });
  agent.send({ type: 'call.signal', interactionId: id, signal: AGENT_ICE });
  await until(async () => signals(customer).length === 2, 10_000, 'the agent\'s answer and candidate at the customer');
  expect(signals(customer)).toEqual([ANSWER, AGENT_ICE]);
  return { id, customerToken, agentLogin, agent, customer };
}

type RecordingState = ServerMessageOf<'recording.state'>;

/** One chunk of the agent's recording, as the app uploads it (the bytes are not audio: only storage is looked at). */
async function upload(url: string, token: string, recordingId: string, seq: number) {
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/0/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
    body: new Uint8Array(Buffer.from(`chunk ${seq} `.repeat(64))),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function detail(url: string, token: string, id: string): Promise<ServerMessageOf<'interaction.opened'>['interaction']> {
  const res = await api(url, `/api/interactions/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body as ServerMessageOf<'interaction.opened'>['interaction'];
}

describe.skipIf(!available)('calls across two nodes', () => {
  it('agent1 on node A, the caller on node B: the call connects; super1 on node B sees it on the board and joins agent1\'s screen share', async () => {
    const nodes = await twoNodes(cleanups, LEASE);
    const { b } = nodes;
    expect((await until(nodes.lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');
    const call = await callAcrossNodes(nodes);
    // Connected on the server (the lease holder), asked through node B.
    expect(await detail(b.url, call.agentLogin.token, call.id)).toMatchObject({ kind: 'call', status: 'active', agentId: call.agentLogin.user.id });

    // Hold crosses too: the caller hears it, the agent's copy says so.
    call.agent.send({ type: 'call.hold', interactionId: call.id, held: true });
    await nextFrame(call.customer, isState('on_hold'), 10_000);
    call.agent.send({ type: 'call.hold', interactionId: call.id, held: false });
    await nextFrame(call.customer, isState('connected'), 10_000);

    const superLogin = await login(b.url, 'super1');
    const supervisor = await wsConnect(b.url, superLogin.token);
    const board = await nextFrame<ServerMessageOf<'board'>>(
      supervisor,
      (f) => f.type === 'board' && f.agents.some((r) => r.userId === call.agentLogin.user.id && r.activity === 'call'),
      10_000,
    );
    const row = board.agents.find((r) => r.userId === call.agentLogin.user.id)!;
    expect(row.interactions.map((i) => i.id)).toEqual([call.id]);

    // agent1 (node A) shares the screen with super1 (node B); peer-to-peer signalling crosses both ways.
    const source = { kind: 'screen', label: 'Screen 1', width: 1280, height: 720 };
    const region = { x: 0, y: 0, width: 1280, height: 720 };
    call.agent.send({ type: 'share.start', source, region, viewers: [superLogin.user.id], id: 'share-1' });
    const state = await nextFrame<ServerMessageOf<'share.state'>>(call.agent, (f) => f.type === 'share.state' && f.ref === 'share-1', 10_000);
    const shareId = state.share!.shareId;
    await nextFrame(supervisor, (f) => f.type === 'shares.available' && f.shares.some((s) => s.shareId === shareId), 10_000);
    supervisor.send({ type: 'share.join', shareId, id: 'join-1' });
    await nextFrame(supervisor, (f) => f.type === 'share.watching' && f.ref === 'join-1', 10_000);
    const joined = await nextFrame<ServerMessageOf<'share.viewer.joined'>>(call.agent, (f) => f.type === 'share.viewer.joined', 10_000);
    expect(joined.viewer.userId).toBe(superLogin.user.id);
    call.agent.send({ type: 'share.signal', shareId, to: superLogin.user.id, signal: { type: 'offer', sdp: 'share-offer' } });
    expect(await nextFrame(supervisor, (f) => f.type === 'share.signal', 10_000)).toEqual({ type: 'share.signal', shareId, from: call.agentLogin.user.id, signal: { type: 'offer', sdp: 'share-offer' } });
    supervisor.send({ type: 'share.signal', shareId, signal: { type: 'answer', sdp: 'share-answer' } });
    expect(await nextFrame(call.agent, (f) => f.type === 'share.signal', 10_000)).toEqual({ type: 'share.signal', shareId, from: superLogin.user.id, signal: { type: 'answer', sdp: 'share-answer' } });
  }, 120_000);

  it('the holder dies mid-call: node B takes over, the call stays live for both, a later ICE-restart offer and its answer still cross, and it hangs up with a correct wrap-up and history', async () => {
    const nodes = await twoNodes(cleanups, LEASE);
    const { a, b } = nodes;
    expect((await until(nodes.lease, 10_000, 'a lease holder')).nodeId).toBe('node-a');
    const call = await callAcrossNodes(nodes);
    // The demo org records calls: agent1's app uploads chunks (through node B, forwarded to the holder).
    const { recordingId } = await nextFrame<RecordingState>(call.agent, (f) => f.type === 'recording.state' && f.recording, 10_000);
    for (const seq of [0, 1]) expect((await upload(b.url, call.agentLogin.token, recordingId!, seq)).body).toEqual({ stored: true, segment: 0, seq });
    // On hold and securely paused when the holder dies: the new holder keeps both so.
    call.agent.send({ type: 'call.hold', interactionId: call.id, held: true });
    await nextFrame(call.customer, isState('on_hold'), 10_000);
    call.agent.send({ type: 'recording.pause', interactionId: call.id });
    await nextFrame(call.agent, (f) => f.type === 'recording.state' && f.paused, 10_000);
    await nextFrame(call.customer, (f) => f.type === 'call.recording' && f.state === 'paused', 10_000);

    const killedAt = Date.now();
    a.process.kill('SIGKILL');
    const { takeoverMs } = await leaseMovedToB(nodes, killedAt, TAKEOVER_WITHIN_MS);
    console.log(`lease moved to node B ${takeoverMs} ms after the holder was killed mid-call`);
    // The caller's relay closes with 1012 and the widget reconnects; the agent's socket died with node A.
    expect((await call.customer.closed).code).toBe(1012);
    await call.agent.closed;
    // Nothing ended the call meanwhile: neither side was told so.
    expect(call.customer.frames.some(isState('ended'))).toBe(false);

    // Both reconnect to node B, as their apps do behind the load balancer; the call is still theirs and connected.
    const agent = await until(() => wsConnect(b.url, call.agentLogin.token).catch(() => null), 10_000, 'agent1 back on node B');
    const reopened = await nextFrame<ServerMessageOf<'interaction.opened'>>(agent, (f) => f.type === 'interaction.opened' && f.interaction.id === call.id, 10_000);
    expect(reopened.interaction).toMatchObject({ kind: 'call', status: 'active', onHold: true, agentId: call.agentLogin.user.id });
    const { ws: customer, hello } = await until(() => customerSocket(b.url, call.customerToken).catch(() => null), 10_000, 'the caller back on node B');
    expect(hello).toMatchObject({ interactionId: call.id, kind: 'call' });
    await nextFrame(customer, isState('on_hold'), 10_000);
    // Still recorded into the same recording, still paused (the agent's app must not record what they paused).
    expect(await nextFrame<RecordingState>(agent, (f) => f.type === 'recording.state', 10_000)).toMatchObject({ recording: true, recordingId, paused: true });
    await nextFrame(customer, (f) => f.type === 'call.recording' && f.state === 'paused', 10_000);
    console.log(`both sides back on the call on node B ${Date.now() - killedAt} ms after the kill`);
    agent.send({ type: 'call.hold', interactionId: call.id, held: false });
    await nextFrame(customer, isState('connected'), 10_000);
    agent.send({ type: 'recording.resume', interactionId: call.id });
    await nextFrame(agent, (f) => f.type === 'recording.state' && !f.paused, 10_000);
    await nextFrame(customer, (f) => f.type === 'call.recording' && f.state === 'recording', 10_000);
    expect((await upload(b.url, call.agentLogin.token, recordingId!, 2)).body).toEqual({ stored: true, segment: 0, seq: 2 });

    // Signalling re-attached: the agent's app restarts ICE (its policy decides restarts) and the caller's peer answers.
    agent.send({ type: 'call.signal', interactionId: call.id, signal: RESTART_OFFER });
    expect((await nextFrame<SignalFrame>(customer, (f) => f.type === 'call.signal', 10_000)).signal).toEqual(RESTART_OFFER);
    customer.send({ type: 'call.signal', interactionId: call.id, signal: RESTART_ANSWER });
    expect((await nextFrame<SignalFrame>(agent, (f) => f.type === 'call.signal', 10_000)).signal).toEqual(RESTART_ANSWER);
    // The one connected call keeps agent1 busy on the board: no second call is offered to them.
    const superLogin = await login(b.url, 'super1');
    const supervisor = await wsConnect(b.url, superLogin.token);
    await nextFrame(supervisor, (f) => f.type === 'board' && f.agents.some((r) => r.userId === call.agentLogin.user.id && r.activity === 'call' && r.interactions.length === 1), 10_000);

    // Hung up normally: the caller is told, the agent owes the wrap-up, the history is whole.
    const hungUpAt = Date.now();
    agent.send({ type: 'interaction.end', interactionId: call.id });
    await nextFrame(customer, isState('ended'), 10_000);
    await nextFrame(agent, (f) => f.type === 'wrapup.required' && f.interactionId === call.id, 10_000);
    agent.send({ type: 'wrapup.submit', interactionId: call.id, disposition: 'Resolved', notes: 'Carried on through a server change.' });
    expect(await nextFrame(agent, (f) => f.type === 'wrapup.done', 10_000)).toEqual({ type: 'wrapup.done', interactionId: call.id, timedOut: false });
    const done = await detail(b.url, call.agentLogin.token, call.id);
    expect(done).toMatchObject({ status: 'closed', disposition: 'Resolved', wrapup: { disposition: 'Resolved', by: 'agent1', timedOut: false } });
    expect(done.timeline.map((e) => e.type)).toEqual(['queued', 'offered', 'answered', 'held', 'resumed', 'ended', 'wrapup_submitted']);
    expect(done.timeline.find((e) => e.type === 'ended')?.details).toMatchObject({ by: 'agent' });
    // The call's time runs from the answer to the hang-up, through the takeover (on hold across it).
    expect(done.durations.talkMs! + done.durations.holdMs).toBeGreaterThanOrEqual(hungUpAt - killedAt);
    expect(done.durations.holdMs).toBeGreaterThanOrEqual(takeoverMs);
    // One recording through the takeover: closed at the hang-up (not "recovered"), every chunk, the one pause across the takeover.
    const recording = await api(b.url, `/api/recordings/${recordingId}`, { token: superLogin.token });
    expect(recording.body).toMatchObject({ status: 'closed', recovered: false, chunks: 3, pauses: [{ actor: 'agent1', endedAt: expect.any(String) }] });
    const pause = (recording.body as { pauses: { startedAt: string; endedAt: string }[] }).pauses[0]!;
    expect(Date.parse(pause.startedAt)).toBeLessThan(killedAt);
    expect(Date.parse(pause.endedAt)).toBeGreaterThan(killedAt + takeoverMs);
  }, 120_000);
});
