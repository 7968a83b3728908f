import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import type { RetentionPreview } from '../../shared/api/retention';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, nextFrame, startBackend, testClock, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, INTERACTION_DEFAULTS, isErrorRef, type Agent } from './interactions-support';
import { auditEntries } from './recording-integrity-support';
import { endAndWrapUp, waitForEnd } from './privacy-support';
import { countOf, DAY_MS, KEEP_ALL, savePolicy } from './retention-support';
import { RECORDING_STORES, recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

type StateFrame = ServerMessageOf<'recording.state'>;
const POLICY = '/api/admin/screen-recording-policy';
const ON = { mode: 'calls', samplePercent: 10, viewerRoles: ['supervisor', 'admin'], fps: 2 } as const;

async function putPolicy(server: TestBackend, token: string, json: Json) {
  return api(server.url, POLICY, { method: 'PUT', token, json });
}

async function uploadVideo(url: string, token: string, recordingId: string, seq: number, bytes: string) {
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/0/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'video/webm;codecs=vp8' },
    body: new Uint8Array(Buffer.from(bytes)),
  });
  return res.status;
}

/** A connected call whose state frame names a screen recording. */
async function screenRecordedCall(server: TestBackend, agent: Agent) {
  const customer = await connected(server, agent, { kind: 'call' });
  const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === customer.interactionId && f.screen !== undefined);
  return { interactionId: customer.interactionId, screenId: state.screen!.recordingId, fps: state.screen!.fps, audioId: state.recordingId };
}

async function endCall(agent: Agent, interactionId: string) {
  agent.ws.send({ type: 'interaction.end', interactionId });
  await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && !f.recording);
}

describe('screen recording policy', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('is off until an admin sets it; validated, audited with before and after, admins only', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    const admin = await login(server.url, 'admin');
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, POLICY, { token: admin.token })).body).toEqual({ mode: 'off', samplePercent: 10, viewerRoles: ['supervisor', 'admin'], fps: 2 });
    expect((await api(server.url, POLICY, { token: supervisor.token })).status).toBe(403);
    expect((await putPolicy(server, supervisor.token, ON)).status).toBe(403);
    for (const bad of [{ ...ON, fps: 0 }, { ...ON, mode: 'always' }, { ...ON, samplePercent: 101 }, { ...ON, viewerRoles: ['admin', 'admin'] }, { ...ON, viewerRoles: ['customer'] }, { ...ON, extra: 1 }]) {
      expect((await putPolicy(server, admin.token, bad)).status).toBe(400);
    }
    const next = { mode: 'sampled', samplePercent: 25, viewerRoles: ['admin'], fps: 3 };
    expect((await putPolicy(server, admin.token, next)).status).toBe(200);
    expect((await api(server.url, POLICY, { token: admin.token })).body).toEqual(next);
    const audited = await auditEntries(server, AuditAction.screenRecordingPolicyChanged);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorName: 'admin', details: { before: { mode: 'off' }, after: next } });
  });

  it('off: no screen in the state frame; on: the frame names the screen recording and its frame rate; a pause protects it with call recording off', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    const admin = await login(server.url, 'admin');
    await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: admin.token, json: { recordCalls: false, agentsMayPlayOwn: false, reminderAfterSeconds: 60 } });
    const agent = await connectAgent(server, 'agent1');
    const plain = await connected(server, agent, { kind: 'call' });
    const off = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === plain.interactionId);
    expect(off.screen).toBeUndefined();
    await endCall(agent, plain.interactionId);

    expect((await putPolicy(server, admin.token, ON)).status).toBe(200);
    // agent1 is in wrap-up: the next call goes to agent2.
    const second = await connectAgent(server, 'agent2');
    const call = await screenRecordedCall(server, second);
    expect(call.fps).toBe(2);
    expect(call.audioId).toBeUndefined();
    second.ws.send({ type: 'recording.pause', interactionId: call.interactionId, id: 'p1' });
    const paused = await nextFrame<StateFrame>(second.ws, (f) => f.type === 'recording.state' && f.interactionId === call.interactionId && f.paused);
    expect(paused.screen?.recordingId).toBe(call.screenId);
    expect(second.ws.frames.some(isErrorRef('conflict', 'p1'))).toBe(false);
    expect((await auditEntries(server, AuditAction.screenRecordingStarted)).map((e) => e.target)).toEqual([call.screenId]);
  });

  it('sampled at 100 % records the screen of every call', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    const admin = await login(server.url, 'admin');
    expect((await putPolicy(server, admin.token, { ...ON, mode: 'sampled', samplePercent: 100 })).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    expect((await screenRecordedCall(server, agent)).fps).toBe(2);
  });
});

// Every store: the disk (default) and S3-compatible object storage (s3rver).
// Sign-ins (scrypt), the bucket and PostgreSQL on a loaded 2-core machine: 12-23 s measured; 60 s allowed.
describe.each(RECORDING_STORES)('screen recordings (%s store)', { timeout: 60_000 }, (kind) => {
  let server: TestBackend;
  let store: RecordingStoreUnderTest | undefined;
  afterEach(async () => {
    await server?.close();
    await store?.stop();
    store = undefined;
  });

  it('chunks are stored like audio; viewers by role (others 404); playback and download audited; retention deletes it with its files', async () => {
    store = await recordingStore(kind);
    const clock = testClock();
    server = await startBackend({ ...INTERACTION_DEFAULTS, ...store.config }, { now: clock.now });
    const admin = await login(server.url, 'admin');
    expect((await putPolicy(server, admin.token, ON)).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call', customer: { name: 'Sam Screen', email: 'sam@example.com' } });
    const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === customer.interactionId && f.screen !== undefined);
    const call = { interactionId: customer.interactionId, screenId: state.screen!.recordingId };
    const token = agent.login.token;
    expect(await uploadVideo(server.url, token, call.screenId, 0, 'AAA')).toBe(200);
    expect(await uploadVideo(server.url, token, call.screenId, 1, 'BBB')).toBe(200);
    await endAndWrapUp(agent, customer, 'looked at the screen');

    const supervisor = await login(server.url, 'super1');
    const meta = await api(server.url, `/api/recordings/${call.screenId}`, { token: supervisor.token });
    expect(meta.body).toMatchObject({ id: call.screenId, kind: 'screen', mimeType: 'video/webm;codecs=vp8', status: 'closed', chunks: 2 });
    const listed = await api(server.url, `/api/recordings?interactionId=${call.interactionId}`, { token: supervisor.token });
    expect(listed.body.recordings.map((r: Json) => r.kind).sort()).toEqual(['audio', 'screen']);
    const got = await fetch(`${server.url}/api/recordings/${call.screenId}/audio?download=1`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).toString()).toBe('AAABBB');
    expect((await auditEntries(server, AuditAction.recordingDownloaded)).map((e) => e.target)).toEqual([call.screenId]);

    // The agent is not among the viewer roles: their own screen recording does not exist for them, the audio does.
    const own = await api(server.url, `/api/recordings?interactionId=${call.interactionId}`, { token });
    expect(own.body.recordings.map((r: Json) => r.kind)).toEqual(['audio']);
    expect((await api(server.url, `/api/recordings/${call.screenId}`, { token })).status).toBe(404);
    expect((await fetch(`${server.url}/api/recordings/${call.screenId}/audio`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    // Admins only now: supervisors get 404 too.
    expect((await putPolicy(server, admin.token, { ...ON, viewerRoles: ['admin'] })).status).toBe(200);
    expect((await api(server.url, `/api/recordings/${call.screenId}`, { token: supervisor.token })).status).toBe(404);
    expect((await fetch(`${server.url}/api/recordings/${call.screenId}/audio`, { headers: { authorization: `Bearer ${supervisor.token}` } })).status).toBe(404);
    expect((await api(server.url, `/api/recordings/${call.screenId}`, { token: admin.token })).status).toBe(200);

    // Retention: the screen recording goes with the call's audio, rows and files.
    expect((await store.names(server.dataDir, call.screenId)).length).toBeGreaterThan(0);
    clock.advance(41 * DAY_MS);
    await savePolicy(server, admin.token, { ...KEEP_ALL, recordingsDays: 40 });
    await server.retention.runNow();
    const entries = (await api(server.url, `/api/audit?action=${AuditAction.retentionPurged}&limit=10`, { token: admin.token })).body.entries as Json[];
    const run = entries.at(-1).details as RetentionPreview;
    expect(countOf(run, 'recordings', 'recordings')).toBe(2);
    expect(await store.names(server.dataDir, call.screenId)).toEqual([]);
    expect(await server.db.kysely.selectFrom('recordings').select('id').where('interaction_id', '=', call.interactionId).execute()).toEqual([]);
  });

  it("a privacy erase of the customer deletes the call's screen recording, rows and files, with its audio", async () => {
    store = await recordingStore(kind);
    server = await startBackend({ ...INTERACTION_DEFAULTS, ...store.config });
    const admin = await login(server.url, 'admin');
    expect((await putPolicy(server, admin.token, ON)).status).toBe(200);
    const agent = await connectAgent(server, 'agent1');
    const customer = await connected(server, agent, { kind: 'call', customer: { name: 'Erin Erase', email: 'erin.erase@example.test' } });
    const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === customer.interactionId && f.screen !== undefined);
    const screenId = state.screen!.recordingId;
    expect(await uploadVideo(server.url, agent.login.token, screenId, 0, 'SCREEN')).toBe(200);
    await endAndWrapUp(agent, customer, 'erase me');
    expect((await store.names(server.dataDir, screenId)).length).toBeGreaterThan(0);

    const officer = await login(server.url, 'privacy1');
    const created = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { email: 'erin.erase@example.test' }, confirm: true } });
    expect(created.status).toBe(202);
    const done = await waitForEnd(server, officer.token, created.body.id);
    expect(done.status).toBe('completed');
    expect(done.stores.find((x) => x.store === 'recordings')).toEqual({ store: 'recordings', found: 2, done: 2 });
    expect(await store.names(server.dataDir, screenId)).toEqual([]);
    expect(await server.db.kysely.selectFrom('recordings').select('id').where('interaction_id', '=', customer.interactionId).execute()).toEqual([]);
    expect((await api(server.url, `/api/recordings/${screenId}`, { token: admin.token })).status).toBe(404);
  });
});
