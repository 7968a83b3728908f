import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { DEFAULT_MONITORING_POLICY } from '../../shared/api/ws-monitoring';
import { api, login, nextFrame, wsConnect, type Json, type TestBackend, type TestSocket } from './helpers';
import { connectAgent, connected, connectCustomer, isErrorRef, type Agent } from './interactions-support';
import { fakeMonitorMedia, startMonitoringBackend } from './monitoring-support';

type Publish = ServerMessageOf<'monitor.publish'>;
type State = ServerMessageOf<'monitor.state'>;

const isPublish =
  (interactionId: string, roomId?: string | null) =>
  (f: ServerMessage): boolean =>
    f.type === 'monitor.publish' && f.interactionId === interactionId && (roomId === undefined || f.roomId === roomId);
const isMonState =
  (interactionId: string, status?: State['status']) =>
  (f: ServerMessage): boolean =>
    f.type === 'monitor.state' && f.interactionId === interactionId && (status === undefined || f.status === status);

let server: TestBackend;
let media: ReturnType<typeof fakeMonitorMedia>;
let adminToken: string;

async function connectStaff(username: string): Promise<{ id: string; token: string; ws: TestSocket }> {
  const session = await login(server.url, username);
  return { id: session.user.id, token: session.token, ws: await wsConnect(server.url, session.token) };
}

async function setPolicy(policy: Json): Promise<number> {
  return (await api(server.url, '/api/admin/monitoring-policy', { method: 'PUT', token: adminToken, json: policy })).status;
}

async function audit(action: string): Promise<Json[]> {
  return (await api(server.url, `/api/audit?action=${encodeURIComponent(action)}&limit=500`, { token: adminToken })).body.entries;
}

/** agent1 on a connected call, super1 listening, the agent's app producing: the usual start. */
async function monitoredCall(agent: Agent, listener: { ws: TestSocket }) {
  const customer = await connected(server, agent, { kind: 'call' });
  const interactionId = customer.interactionId;
  listener.ws.send({ type: 'monitor.start', interactionId, id: 's1' });
  const publish = await nextFrame<Publish>(agent.ws, isPublish(interactionId));
  const connecting = await nextFrame<State>(listener.ws, isMonState(interactionId));
  agent.ws.send({ type: 'monitor.publish.state', interactionId, state: 'producing' });
  await nextFrame<State>(listener.ws, isMonState(interactionId, 'live'));
  return { customer, interactionId, publish, connecting, room: media.rooms.at(-1)! };
}

// One backend per test: agents leave each test in wrap-up.
beforeEach(async () => {
  media = fakeMonitorMedia();
  server = await startMonitoringBackend(media);
  adminToken = (await login(server.url, 'admin')).token;
});
afterEach(async () => {
  await server?.close();
});

describe('live call monitoring', () => {
  it("a supervisor listens to a connected call: the agent publishes into a room only the listener may consume, and is told who listens; stop closes it", async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const super2 = await connectStaff('super2');
    const { interactionId, publish, connecting, room, customer } = await monitoredCall(agent, super1);

    expect(publish).toMatchObject({ roomId: room.id, pauseOnSecurePause: true, listeners: [{ userId: super1.id, username: 'super1' }] });
    expect(connecting).toMatchObject({ status: 'connecting', agentName: 'agent1', roomId: room.id, ref: 's1' });
    // The authorization callbacks the SFU asks: only the agent produces, only listeners consume.
    expect(room.options.mayProduce(agent.id)).toBe(true);
    expect(room.options.mayProduce(super1.id)).toBe(false);
    expect(room.options.mayConsume(super1.id)).toBe(true);
    expect(room.options.mayConsume(super2.id)).toBe(false);
    expect(room.options.mayConsume(agent.id)).toBe(false);
    expect(room.options.mayConsume(`customer:${interactionId}`)).toBe(false);
    // The customer hears nothing of it and gets no monitoring frame.
    expect(customer.ws.frames.some((f) => f.type.startsWith('monitor.'))).toBe(false);

    // A second listener joins the same room; the agent's notice names both.
    super2.ws.send({ type: 'monitor.start', interactionId });
    const both = await nextFrame<Publish>(agent.ws, isPublish(interactionId));
    expect(both.listeners?.map((l) => l.username).sort()).toEqual(['super1', 'super2']);
    expect(media.rooms.at(-1)).toBe(room);
    expect(room.options.mayConsume(super2.id)).toBe(true);

    super1.ws.send({ type: 'monitor.stop', interactionId, id: 'x1' });
    expect(await nextFrame<State>(super1.ws, isMonState(interactionId, 'ended'))).toMatchObject({ reason: 'stopped', ref: 'x1' });
    expect(room.dropped).toEqual([super1.id]);
    expect(room.options.mayConsume(super1.id)).toBe(false);
    expect((await nextFrame<Publish>(agent.ws, isPublish(interactionId))).listeners?.map((l) => l.username)).toEqual(['super2']);
    super2.ws.send({ type: 'monitor.stop', interactionId });
    await nextFrame(agent.ws, isPublish(interactionId, null));
    expect(room.closed).toBe(true);
    // Stopping again is a clear refusal.
    super2.ws.send({ type: 'monitor.stop', interactionId, id: 'x2' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super2.ws, isErrorRef('conflict', 'x2'))).message).toMatch(/not monitoring/);

    const started = (await audit('monitoring.started')).filter((e: Json) => e.target === interactionId);
    const stopped = (await audit('monitoring.stopped')).filter((e: Json) => e.target === interactionId);
    expect(started.map((e: Json) => e.actorName).sort()).toEqual(['super1', 'super2']);
    expect(started[0].details).toMatchObject({ interactionId, agent: 'agent1', noticeShown: true });
    expect(stopped.map((e: Json) => [e.actorName, e.details.reason])).toEqual(expect.arrayContaining([['super1', 'stopped'], ['super2', 'stopped']]));
    agent.ws.send({ type: 'interaction.end', interactionId });
  });

  it('secure pause pauses the room and tells the listener "paused"; resume brings it back; with the policy off it does not', async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const { interactionId, room } = await monitoredCall(agent, super1);

    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'paused'));
    expect(room.pauses).toEqual([true]);
    agent.ws.send({ type: 'recording.resume', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'live'));
    expect(room.pauses).toEqual([true, false]);

    // The policy says secure pause does not stop monitoring: the agent's app is told, the room stays live.
    expect(await setPolicy({ ...DEFAULT_MONITORING_POLICY, securePauseStopsMonitoring: false })).toBe(200);
    expect((await nextFrame<Publish>(agent.ws, isPublish(interactionId))).pauseOnSecurePause).toBe(false);
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.paused);
    expect(room.pauses).toEqual([true, false]);
    // Turned back on mid-pause: it pauses at once.
    expect(await setPolicy(DEFAULT_MONITORING_POLICY)).toBe(200);
    await nextFrame(super1.ws, isMonState(interactionId, 'paused'));
    expect(room.pauses).toEqual([true, false, true]);

    // A supervisor who starts listening during a pause gets a paused room.
    const super2 = await connectStaff('super2');
    super2.ws.send({ type: 'monitor.start', interactionId });
    await nextFrame(super2.ws, isMonState(interactionId, 'paused'));

    // Hanging up ends everyone's monitoring, audited with the reason; the agent stops publishing.
    agent.ws.send({ type: 'interaction.end', interactionId });
    expect(await nextFrame<State>(super1.ws, isMonState(interactionId, 'ended'))).toMatchObject({ reason: 'call_ended' });
    expect(await nextFrame<State>(super2.ws, isMonState(interactionId, 'ended'))).toMatchObject({ reason: 'call_ended' });
    await nextFrame(agent.ws, isPublish(interactionId, null));
    expect(room.closed).toBe(true);
    const stopped = (await audit('monitoring.stopped')).filter((e: Json) => e.target === interactionId);
    expect(stopped.map((e: Json) => [e.actorName, e.details.reason])).toEqual([
      [null, 'call_ended'],
      [null, 'call_ended'],
    ]);
  });

  it('with recording off, a pause is refused on an unmonitored call and holds the monitoring of a monitored one (audited, resumable after monitoring ends)', async () => {
    expect((await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: adminToken, json: { recordCalls: false, agentsMayPlayOwn: false, reminderAfterSeconds: 60 } })).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const customer = await connected(server, agent, { kind: 'call' });
    const interactionId = customer.interactionId;
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && !f.recording && !f.paused);
    // Nothing to protect yet: not recorded, nobody listens.
    agent.ws.send({ type: 'recording.pause', interactionId, id: 'p0' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('conflict', 'p0'))).message).toMatch(/not being recorded .* nor monitored/);

    super1.ws.send({ type: 'monitor.start', interactionId });
    await nextFrame<Publish>(agent.ws, isPublish(interactionId));
    agent.ws.send({ type: 'monitor.publish.state', interactionId, state: 'producing' });
    await nextFrame(super1.ws, isMonState(interactionId, 'live'));
    const room = media.rooms.at(-1)!;
    agent.ws.send({ type: 'recording.pause', interactionId });
    expect(await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.paused)).toMatchObject({ recording: false, paused: true });
    await nextFrame(super1.ws, isMonState(interactionId, 'paused'));
    expect(room.pauses).toEqual([true]);
    const paused = (await audit('recording.paused')).filter((e: Json) => e.target === interactionId);
    expect(paused).toHaveLength(1);
    expect(paused[0]).toMatchObject({ actorName: 'agent1', details: { interactionId, recordingId: null } });

    // A reloaded agent window learns the pause of the unrecorded call.
    const again = await wsConnect(server.url, agent.login.token);
    expect(await nextFrame(again, (f) => f.type === 'recording.state' && f.interactionId === interactionId)).toMatchObject({ recording: false, paused: true });
    await again.close();

    // Monitoring ends while paused: the pause stays until the agent resumes it, which is allowed and audited.
    super1.ws.send({ type: 'monitor.stop', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'ended'));
    agent.ws.send({ type: 'recording.resume', interactionId });
    expect(await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && !f.paused)).toMatchObject({ recording: false });
    const resumed = (await audit('recording.resumed')).filter((e: Json) => e.target === interactionId);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ actorName: 'agent1', details: { interactionId, recordingId: null } });
    expect(typeof resumed[0].details.pausedMs).toBe('number');
    agent.ws.send({ type: 'interaction.end', interactionId });
  });

  it('a call already paused starts paused', async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const customer = await connected(server, agent, { kind: 'call' });
    const interactionId = customer.interactionId;
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.recording);
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.paused);
    super1.ws.send({ type: 'monitor.start', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'paused'));
    expect(media.rooms.at(-1)!.pauses).toEqual([true]);
    agent.ws.send({ type: 'interaction.end', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'ended'));
  });

  it('a transfer, the listener signing out, or the listener losing their last connection end it', async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const first = await monitoredCall(agent, super1);
    agent.ws.send({ type: 'interaction.transfer', interactionId: first.interactionId, to: { kind: 'queue', queueId: 'billing' } });
    expect(await nextFrame<State>(super1.ws, isMonState(first.interactionId, 'ended'))).toMatchObject({ reason: 'transferred' });
    expect(first.room.closed).toBe(true);
    await first.customer.ws.close();

    const agent2 = await connectAgent(server, 'agent2');
    const second = await monitoredCall(agent2, super1);
    await api(server.url, '/api/auth/logout', { method: 'POST', token: super1.token });
    await nextFrame(agent2.ws, isPublish(second.interactionId, null));
    expect(second.room.closed).toBe(true);
    const signedOut = (await audit('monitoring.stopped')).find((e: Json) => e.target === second.interactionId);
    expect(signedOut).toMatchObject({ actorName: 'super1', details: { reason: 'signed_out' } });
    agent2.ws.send({ type: 'interaction.end', interactionId: second.interactionId });

    const super2 = await connectStaff('super2');
    const agent3 = await connectAgent(server, 'agent3');
    const customer = await connectCustomer(server, { kind: 'call', queueId: 'billing' });
    // Whoever gets the offer answers.
    const offered = await Promise.race(
      [agent2, agent3].map(async (a) => {
        await nextFrame(a.ws, (f) => f.type === 'offer' && f.interaction.id === customer.interactionId, 8000);
        return a;
      }),
    );
    offered.ws.send({ type: 'offer.accept', interactionId: customer.interactionId });
    await nextFrame(offered.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === customer.interactionId);
    super2.ws.send({ type: 'monitor.start', interactionId: customer.interactionId });
    await nextFrame(offered.ws, isPublish(customer.interactionId));
    await super2.ws.close();
    await nextFrame(offered.ws, isPublish(customer.interactionId, null));
    const gone = (await audit('monitoring.stopped')).find((e: Json) => e.target === customer.interactionId);
    expect(gone).toMatchObject({ actorName: null, details: { reason: 'disconnected', listener: 'super2' } });
    offered.ws.send({ type: 'interaction.end', interactionId: customer.interactionId });
  });

  it('refuses agents, chats, calls not connected, unknown ids, bad input, roles the policy leaves out, and a server without SFU', async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const chat = await connected(server, agent, { kind: 'chat' });

    agent.ws.send({ type: 'monitor.start', interactionId: chat.interactionId, id: 'a' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('forbidden', 'a'))).message).toBeTruthy();
    super1.ws.send({ type: 'monitor.start', interactionId: chat.interactionId, id: 'b' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('conflict', 'b'))).message).toMatch(/chat/);
    super1.ws.send({ type: 'monitor.start', interactionId: 'nope', id: 'c' });
    await nextFrame(super1.ws, isErrorRef('not_found', 'c'));
    super1.ws.send({ type: 'monitor.start', id: 'd' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('bad_request', 'd'))).message).toMatch(/interactionId/);
    super1.ws.send({ type: 'monitor.publish.state', interactionId: chat.interactionId, state: 'producing', id: 'e' });
    await nextFrame(super1.ws, isErrorRef('forbidden', 'e'));

    // A call still waiting for an agent cannot be monitored.
    await setPresence(agent, 'busy');
    const waiting = await connectCustomer(server, { kind: 'call' });
    super1.ws.send({ type: 'monitor.start', interactionId: waiting.interactionId, id: 'f' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('conflict', 'f'))).message).toMatch(/not connected/);
    await setPresence(agent, 'available');
    await nextFrame(agent.ws, (f) => f.type === 'offer' && f.interaction.id === waiting.interactionId);
    agent.ws.send({ type: 'offer.accept', interactionId: waiting.interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'interaction.opened' && f.interaction.id === waiting.interactionId);

    // Admins only by policy: the supervisor is refused, and the refusal is audited.
    expect(await setPolicy({ ...DEFAULT_MONITORING_POLICY, rolesAllowed: ['admin'], whisperRoles: ['admin'], bargeRoles: ['admin'] })).toBe(200);
    super1.ws.send({ type: 'monitor.start', interactionId: waiting.interactionId, id: 'g' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('forbidden', 'g'))).message).toMatch(/policy/);
    expect((await audit('monitoring.refused')).some((e: Json) => e.actorName === 'super1' && e.target === waiting.interactionId)).toBe(true);
    const admin = await connectStaff('admin');
    admin.ws.send({ type: 'monitor.start', interactionId: waiting.interactionId });
    await nextFrame(admin.ws, isMonState(waiting.interactionId, 'connecting'));
    // Taking the role away ends monitoring in progress at once.
    expect(await setPolicy({ ...DEFAULT_MONITORING_POLICY, rolesAllowed: [], whisperRoles: [], bargeRoles: [] })).toBe(200);
    expect(await nextFrame<State>(admin.ws, isMonState(waiting.interactionId, 'ended'))).toMatchObject({ reason: 'policy' });
    await setPolicy(DEFAULT_MONITORING_POLICY);

    media.down = 'Live monitoring needs the SFU (a mediasoup worker), which is not running on this server.';
    super1.ws.send({ type: 'monitor.start', interactionId: waiting.interactionId, id: 'h' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('conflict', 'h'))).message).toMatch(/SFU/);
    agent.ws.send({ type: 'interaction.end', interactionId: waiting.interactionId });
    agent.ws.send({ type: 'interaction.end', interactionId: chat.interactionId });
  });

  it('the notice: hidden from the agent when the policy turns it off; the agent still publishes', async () => {
    expect(await setPolicy({ ...DEFAULT_MONITORING_POLICY, showNoticeToAgent: false })).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const { publish, interactionId } = await monitoredCall(agent, super1);
    expect(publish.listeners).toBeUndefined();
    expect(publish.roomId).toBeTruthy();
    // A reloaded agent window learns again what to publish.
    const again = await wsConnect(server.url, agent.login.token);
    expect(await nextFrame<Publish>(again, isPublish(interactionId))).toMatchObject({ roomId: publish.roomId });
    await again.close();
    agent.ws.send({ type: 'interaction.end', interactionId });
    await nextFrame(super1.ws, isMonState(interactionId, 'ended'));
  });
});

describe('monitoring policy', () => {
  it('defaults, admin only, validated, audited with before and after', async () => {
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, '/api/admin/monitoring-policy', { token: adminToken })).body).toEqual(DEFAULT_MONITORING_POLICY);
    expect((await api(server.url, '/api/admin/monitoring-policy', { token: supervisor.token })).status).toBe(403);
    expect((await api(server.url, '/api/admin/monitoring-policy')).status).toBe(401);
    const next = { showNoticeToAgent: false, securePauseStopsMonitoring: true, rolesAllowed: ['supervisor'], whisperRoles: ['supervisor'], bargeRoles: [] };
    expect((await api(server.url, '/api/admin/monitoring-policy', { method: 'PUT', token: supervisor.token, json: next })).status).toBe(403);
    const bad = await api(server.url, '/api/admin/monitoring-policy', { method: 'PUT', token: adminToken, json: { ...next, rolesAllowed: ['agent'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/rolesAllowed/);
    expect(await setPolicy(next)).toBe(200);
    expect((await api(server.url, '/api/admin/monitoring-policy', { token: adminToken })).body).toEqual(next);
    const changes = await audit('monitoring.policy_changed');
    expect(changes.at(-1)).toMatchObject({ actorName: 'admin', details: { after: next } });
  });
});

async function setPresence(agent: Agent, presence: 'busy' | 'available'): Promise<void> {
  agent.ws.send({ type: 'presence.set', presence });
  await nextFrame(agent.ws, (f) => f.type === 'presence.self' && f.presence === presence);
}

