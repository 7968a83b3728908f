import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerMessage, ServerMessageOf } from '../../shared/api/ws';
import { DEFAULT_MONITORING_POLICY } from '../../shared/api/ws-monitoring';
import { api, login, nextFrame, wsConnect, type Json, type TestBackend, type TestSocket } from './helpers';
import { connectAgent, connected, isErrorRef, type Agent } from './interactions-support';
import { fakeMonitorMedia, startMonitoringBackend } from './monitoring-support';

type Publish = ServerMessageOf<'monitor.publish'>;
type State = ServerMessageOf<'monitor.state'>;

const isPublish = (interactionId: string) => (f: ServerMessage) => f.type === 'monitor.publish' && f.interactionId === interactionId;
const isStateRef = (interactionId: string, ref: string) => (f: ServerMessage) => f.type === 'monitor.state' && f.interactionId === interactionId && f.ref === ref;
const isState = (interactionId: string, pred: (f: State) => boolean) => (f: ServerMessage) => f.type === 'monitor.state' && f.interactionId === interactionId && pred(f);

let server: TestBackend;
let media: ReturnType<typeof fakeMonitorMedia>;
let adminToken: string;

async function connectStaff(username: string): Promise<{ id: string; ws: TestSocket }> {
  const session = await login(server.url, username);
  return { id: session.user.id, ws: await wsConnect(server.url, session.token) };
}

async function setPolicy(policy: Json): Promise<{ status: number; body: Json }> {
  return api(server.url, '/api/admin/monitoring-policy', { method: 'PUT', token: adminToken, json: policy });
}

async function audit(action: string, interactionId: string): Promise<Json[]> {
  const entries = (await api(server.url, `/api/audit?action=${encodeURIComponent(action)}&limit=500`, { token: adminToken })).body.entries as Json[];
  return entries.filter((e) => e.target === interactionId);
}

/** agent1 on a connected call, `listener` listening, the agent's app producing. */
async function monitoredCall(agent: Agent, listener: { ws: TestSocket }) {
  const customer = await connected(server, agent, { kind: 'call' });
  const interactionId = customer.interactionId;
  listener.ws.send({ type: 'monitor.start', interactionId, id: 's1' });
  const start = await nextFrame<State>(listener.ws, isStateRef(interactionId, 's1'));
  await nextFrame<Publish>(agent.ws, isPublish(interactionId));
  agent.ws.send({ type: 'monitor.publish.state', interactionId, state: 'producing' });
  await nextFrame<State>(listener.ws, isState(interactionId, (f) => f.status === 'live'));
  return { customer, interactionId, start };
}

/** Switches mode and resolves with the listener's answer (monitor.state with the ref) and the agent's next publish frame. */
async function switchTo(listener: { ws: TestSocket }, agent: Agent, interactionId: string, mode: string, ref: string) {
  listener.ws.send({ type: 'monitor.mode', interactionId, mode, id: ref });
  const state = await nextFrame<State>(listener.ws, isStateRef(interactionId, ref));
  const publish = await nextFrame<Publish>(agent.ws, (f) => isPublish(interactionId)(f) && ((f as Publish).voice?.mode ?? 'listen') === mode);
  return { state, publish };
}

beforeEach(async () => {
  media = fakeMonitorMedia();
  server = await startMonitoringBackend(media);
  adminToken = (await login(server.url, 'admin')).token;
});
afterEach(async () => {
  await server?.close();
});

describe('whisper and barge', () => {
  it('listen → whisper → barge → listen: a voice room only the speaker produces into and only the agent consumes; the agent always told who and the mode; each switch audited with ids only', async () => {
    // Even with the listener notice off, the agent is told who speaks: they hear them.
    expect((await setPolicy({ ...DEFAULT_MONITORING_POLICY, showNoticeToAgent: false })).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const super2 = await connectStaff('super2');
    const { interactionId, start, customer } = await monitoredCall(agent, super1);
    expect(start).toMatchObject({ mode: 'listen', modes: ['listen', 'whisper', 'barge'] });
    expect(start.voiceRoomId).toBeUndefined();
    const callRoom = media.rooms.at(-1)!;

    const whisper = await switchTo(super1, agent, interactionId, 'whisper', 'w1');
    const voiceRoom = media.rooms.at(-1)!;
    expect(voiceRoom).not.toBe(callRoom);
    expect(voiceRoom.options.purpose).toBe('voice');
    expect(whisper.state).toMatchObject({ mode: 'whisper', voiceRoomId: voiceRoom.id, status: 'live' });
    expect(whisper.publish).toMatchObject({ roomId: callRoom.id, voice: { roomId: voiceRoom.id, mode: 'whisper', speaker: { userId: super1.id, username: 'super1' } } });
    expect(whisper.publish.listeners).toBeUndefined();
    // Only the speaker sends into the voice room, only the agent receives it; the call room is unchanged.
    expect(voiceRoom.options.mayProduce(super1.id)).toBe(true);
    expect(voiceRoom.options.mayProduce(agent.id)).toBe(false);
    expect(voiceRoom.options.mayConsume(agent.id)).toBe(true);
    expect(voiceRoom.options.mayConsume(super1.id)).toBe(false);
    expect(voiceRoom.options.mayConsume(super2.id)).toBe(false);
    expect(voiceRoom.options.mayConsume(`customer:${interactionId}`)).toBe(false);
    expect(callRoom.options.mayProduce(super1.id)).toBe(false);

    // A second listener may not speak at the same time.
    super2.ws.send({ type: 'monitor.start', interactionId, id: 's2' });
    await nextFrame(super2.ws, isStateRef(interactionId, 's2'));
    super2.ws.send({ type: 'monitor.mode', interactionId, mode: 'barge', id: 'b2' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super2.ws, isErrorRef('conflict', 'b2'))).message).toMatch(/one listener speaks at a time/);
    super2.ws.send({ type: 'monitor.stop', interactionId });

    // Barge: the same voice room, the agent's app told to send it on to the customer too.
    const barge = await switchTo(super1, agent, interactionId, 'barge', 'b1');
    expect(media.rooms.at(-1)).toBe(voiceRoom);
    expect(barge.state).toMatchObject({ mode: 'barge', voiceRoomId: voiceRoom.id });
    expect(barge.publish.voice).toMatchObject({ roomId: voiceRoom.id, mode: 'barge', speaker: { username: 'super1' } });

    // Back to listening: the voice room closes, the agent's notice loses the voice.
    const back = await switchTo(super1, agent, interactionId, 'listen', 'l1');
    expect(back.state).toMatchObject({ mode: 'listen' });
    expect(back.state.voiceRoomId).toBeUndefined();
    expect(back.publish.voice).toBeUndefined();
    expect(voiceRoom.closed).toBe(true);
    expect(voiceRoom.options.mayProduce(super1.id)).toBe(false);
    expect(voiceRoom.options.mayConsume(agent.id)).toBe(false);
    expect(callRoom.closed).toBe(false);

    // The customer gets no monitoring frame at all.
    expect(customer.ws.frames.some((f) => f.type.startsWith('monitor.'))).toBe(false);

    const changes = await audit('monitoring.mode_changed', interactionId);
    expect(changes.map((e) => [e.actorName, e.details.from, e.details.to])).toEqual([
      ['super1', 'listen', 'whisper'],
      ['super1', 'whisper', 'barge'],
      ['super1', 'barge', 'listen'],
    ]);
    // Ids only: no names, no customer data.
    for (const e of changes) {
      expect(Object.keys(e.details).sort()).toEqual(expect.arrayContaining(['agentId', 'from', 'interactionId', 'to']));
      expect(JSON.stringify(e.details)).not.toMatch(/agent1|super1|Customer/);
      expect(e.details.agentId).toBe(agent.id);
    }
    agent.ws.send({ type: 'interaction.end', interactionId });
  });

  it('the policy decides who may whisper or barge: refused with a clear error and audited; removing the right mid-barge sends the speaker back to listening', async () => {
    expect((await setPolicy({ ...DEFAULT_MONITORING_POLICY, whisperRoles: ['supervisor', 'admin'], bargeRoles: ['admin'] })).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const { interactionId, start } = await monitoredCall(agent, super1);
    expect(start.modes).toEqual(['listen', 'whisper']);

    super1.ws.send({ type: 'monitor.mode', interactionId, mode: 'barge', id: 'x' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('forbidden', 'x'))).message).toBe("The org's monitoring policy does not let supervisors barge into calls. An admin can change it.");
    const refused = await audit('monitoring.refused', interactionId);
    expect(refused.map((e) => [e.actorName, e.details.reason, e.details.mode])).toEqual([['super1', 'policy', 'barge']]);
    expect(media.rooms).toHaveLength(1);

    // Bad input is refused by the schema.
    super1.ws.send({ type: 'monitor.mode', interactionId, mode: 'shout', id: 'y' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super1.ws, isErrorRef('bad_request', 'y'))).message).toMatch(/mode/);
    // Only a listener of the call may switch; agents may not at all.
    const super2 = await connectStaff('super2');
    super2.ws.send({ type: 'monitor.mode', interactionId, mode: 'whisper', id: 'z' });
    expect((await nextFrame<ServerMessageOf<'error'>>(super2.ws, isErrorRef('conflict', 'z'))).message).toMatch(/not monitoring/);
    agent.ws.send({ type: 'monitor.mode', interactionId, mode: 'whisper', id: 'a' });
    await nextFrame(agent.ws, isErrorRef('forbidden', 'a'));

    // Whisper is allowed; then the admin takes whisper away from supervisors: back to listening at once.
    await switchTo(super1, agent, interactionId, 'whisper', 'w');
    const voiceRoom = media.rooms.at(-1)!;
    expect((await setPolicy({ ...DEFAULT_MONITORING_POLICY, whisperRoles: ['admin'], bargeRoles: ['admin'] })).status).toBe(200);
    const after = await nextFrame<State>(super1.ws, isState(interactionId, (f) => f.mode === 'listen'));
    expect(after).toMatchObject({ status: 'live', modes: ['listen'] });
    expect(voiceRoom.closed).toBe(true);
    expect((await nextFrame<Publish>(agent.ws, (f) => isPublish(interactionId)(f) && (f as Publish).voice === undefined)).roomId).toBe(media.rooms[0]!.id);
    const forced = (await audit('monitoring.mode_changed', interactionId)).at(-1)!;
    expect(forced).toMatchObject({ actorName: null, details: { from: 'whisper', to: 'listen', reason: 'policy', listenerId: super1.id } });
    agent.ws.send({ type: 'interaction.end', interactionId });
  });

  it('secure pause holds the call audio in every mode; stopping or the call ending while speaking closes the voice room', async () => {
    const agent = await connectAgent(server, 'agent1');
    const super1 = await connectStaff('super1');
    const { interactionId } = await monitoredCall(agent, super1);
    const callRoom = media.rooms[0]!;
    for (const [i, mode] of (['listen', 'whisper', 'barge'] as const).entries()) {
      if (mode !== 'listen') await switchTo(super1, agent, interactionId, mode, `m${i}`);
      agent.ws.send({ type: 'recording.pause', interactionId });
      expect(await nextFrame<State>(super1.ws, isState(interactionId, (f) => f.status === 'paused'))).toMatchObject({ mode });
      expect(callRoom.pauses.at(-1)).toBe(true);
      agent.ws.send({ type: 'recording.resume', interactionId });
      await nextFrame(super1.ws, isState(interactionId, (f) => f.status === 'live'));
      expect(callRoom.pauses.at(-1)).toBe(false);
    }
    // Paused while barging, then the supervisor stops: the voice room closes with the listening.
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(super1.ws, isState(interactionId, (f) => f.status === 'paused'));
    const voiceRoom = media.rooms.at(-1)!;
    super1.ws.send({ type: 'monitor.stop', interactionId });
    await nextFrame(super1.ws, isState(interactionId, (f) => f.status === 'ended'));
    expect(voiceRoom.closed).toBe(true);
    expect(callRoom.closed).toBe(true);

    // A new listening, barging when the call ends: both rooms close.
    agent.ws.send({ type: 'recording.resume', interactionId });
    super1.ws.send({ type: 'monitor.start', interactionId, id: 'again' });
    await nextFrame(super1.ws, isStateRef(interactionId, 'again'));
    await switchTo(super1, agent, interactionId, 'barge', 'b');
    const [room2, voice2] = media.rooms.slice(-2);
    agent.ws.send({ type: 'interaction.end', interactionId });
    expect(await nextFrame<State>(super1.ws, isState(interactionId, (f) => f.status === 'ended'))).toMatchObject({ reason: 'call_ended' });
    expect(room2!.closed).toBe(true);
    expect(voice2!.closed).toBe(true);
  });
});

describe('monitoring policy: whisper and barge roles', () => {
  it('defaults to the roles that may listen; a role that may not listen may not whisper or barge (400 naming the field)', async () => {
    const current = (await api(server.url, '/api/admin/monitoring-policy', { token: adminToken })).body;
    expect(current).toMatchObject({ whisperRoles: ['supervisor', 'admin'], bargeRoles: ['supervisor', 'admin'] });
    const bad = await setPolicy({ ...DEFAULT_MONITORING_POLICY, rolesAllowed: ['admin'], whisperRoles: ['supervisor'], bargeRoles: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/whisperRoles: supervisor may not listen, so may not whisper either/);
    expect((await setPolicy({ ...DEFAULT_MONITORING_POLICY, whisperRoles: ['witch'] })).status).toBe(400);
    const missing = await setPolicy({ showNoticeToAgent: true, securePauseStopsMonitoring: true, rolesAllowed: [] });
    expect(missing.status).toBe(400);
    const next = { ...DEFAULT_MONITORING_POLICY, whisperRoles: ['supervisor'], bargeRoles: [] };
    expect((await setPolicy(next)).status).toBe(200);
    expect((await api(server.url, '/api/admin/monitoring-policy', { token: adminToken })).body).toEqual(next);
    const changes = (await api(server.url, '/api/audit?action=monitoring.policy_changed', { token: adminToken })).body.entries as Json[];
    expect(changes.at(-1)).toMatchObject({ details: { before: DEFAULT_MONITORING_POLICY, after: next } });
  });
});
