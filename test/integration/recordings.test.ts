import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { MAX_RECORDING_CHUNK_BYTES } from '../../shared/api/recordings';
import { api, isType, login, nextFrame, roundTrip, wsConnect, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, isErrorRef, isOffer, startInteractionsBackend, type Agent } from './interactions-support';
import { fetchAudio } from './recording-integrity-support';
import { RECORDING_STORES, recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

type StateFrame = ServerMessageOf<'recording.state'>;
const isRecState =
  (interactionId: string, paused?: boolean) =>
  (f: { type: string; interactionId?: string; paused?: boolean }): boolean =>
    f.type === 'recording.state' && f.interactionId === interactionId && (paused === undefined || f.paused === paused);

/** Uploads a chunk to a segment (null: the route of apps from before segments, which is segment 0). */
async function upload(server: { url: string }, token: string, recordingId: string, seq: number, bytes: Buffer | string, contentType = 'audio/webm;codecs=opus', segment: number | null = 0) {
  const address = segment === null ? `chunks/${seq}` : `segments/${segment}/chunks/${seq}`;
  const res = await fetch(`${server.url}/api/recordings/${recordingId}/${address}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** A connected call whose recording started: the agent's state frame carries the recording id. */
async function recordedCall(server: TestBackend, agent: Agent) {
  const customer = await connected(server, agent, { kind: 'call' });
  const state = await nextFrame<StateFrame>(agent.ws, isRecState(customer.interactionId));
  expect(state).toMatchObject({ recording: true, paused: false, reminderAfterSeconds: 60 });
  return { customer, interactionId: customer.interactionId, recordingId: state.recordingId! };
}

async function auditActions(server: TestBackend, action: string): Promise<Json[]> {
  const admin = await login(server.url, 'admin');
  const res = await api(server.url, `/api/audit?action=${encodeURIComponent(action)}&limit=500`, { token: admin.token });
  expect(res.status).toBe(200);
  return res.body.entries;
}

describe('recording policy', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('is the demo default until an admin changes it; changes are validated and audited; only admins', async () => {
    server = await startInteractionsBackend();
    const admin = await login(server.url, 'admin');
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, '/api/admin/recording-policy', { token: admin.token })).body).toEqual({ recordCalls: true, agentsMayPlayOwn: false, reminderAfterSeconds: 60 });
    expect((await api(server.url, '/api/admin/recording-policy', { token: supervisor.token })).status).toBe(403);
    expect((await api(server.url, '/api/admin/recording-policy')).status).toBe(401);

    const next = { recordCalls: false, agentsMayPlayOwn: true, reminderAfterSeconds: 30 };
    expect((await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: supervisor.token, json: next })).status).toBe(403);
    const bad = await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: admin.token, json: { ...next, reminderAfterSeconds: 0, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/reminderAfterSeconds/);
    const put = await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: admin.token, json: next });
    expect(put.status).toBe(200);
    expect((await api(server.url, '/api/admin/recording-policy', { token: admin.token })).body).toEqual(next);

    const audited = await auditActions(server, 'recording.policy_changed');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorName: 'admin', details: { before: { recordCalls: true }, after: next } });
  });

  it('with recording off a call is not recorded and cannot be paused', async () => {
    server = await startInteractionsBackend();
    const admin = await login(server.url, 'admin');
    await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: admin.token, json: { recordCalls: false, agentsMayPlayOwn: false, reminderAfterSeconds: 60 } });
    const agent = await connectAgent(server, 'agent1');
    const call = await connected(server, agent, { kind: 'call' });
    const state = await nextFrame<StateFrame>(agent.ws, isRecState(call.interactionId));
    expect(state).toMatchObject({ recording: false, paused: false });
    expect(state.recordingId).toBeUndefined();
    agent.ws.send({ type: 'recording.pause', interactionId: call.interactionId, id: 'p1' });
    expect((await nextFrame<ServerMessageOf<'error'>>(agent.ws, isErrorRef('conflict', 'p1'))).message).toMatch(/not being recorded/);
    expect((await api(server.url, `/api/recordings?interactionId=${call.interactionId}`, { token: admin.token })).body.recordings).toEqual([]);
  });
});

// Every store: the disk (default) and S3-compatible object storage (s3rver).
describe.each(RECORDING_STORES)('recording chunks (%s store)', (kind) => {
  let server: TestBackend;
  let store: RecordingStoreUnderTest | undefined;
  const start = async () => {
    store = await recordingStore(kind);
    return startInteractionsBackend(store.config);
  };
  afterEach(async () => {
    await server?.close();
    await store?.stop();
    store = undefined;
  });

  it('a connected call gets a recording; chats do not', async () => {
    server = await start();
    const agent = await connectAgent(server, 'agent1');
    const chat = await connected(server, agent, { kind: 'chat' });
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const supervisor = await login(server.url, 'super1');
    const meta = await api(server.url, `/api/recordings/${recordingId}`, { token: supervisor.token });
    expect(meta.body).toMatchObject({ id: recordingId, interactionId, agentId: agent.id, agentName: 'agent1', status: 'recording', endedAt: null, mimeType: 'audio/webm;codecs=opus', chunks: 0, segments: [], missingChunks: 0, assembly: 'pending', assemblyNote: null, recovered: false, pauses: [], durationMs: null });
    await roundTrip(agent.ws);
    expect(agent.ws.frames.filter((f) => f.type === 'recording.state' && f.interactionId === chat.interactionId)).toEqual([]);
    expect((await auditActions(server, 'recording.started')).map((e) => e.target)).toEqual([recordingId]);
  });

  it('chunks are idempotent by (recording, seq), only the call’s agent may upload, and close concatenates them in order', async () => {
    server = await start();
    const agent = await connectAgent(server, 'agent1');
    const { recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    const other = await login(server.url, 'agent2');
    const supervisor = await login(server.url, 'super1');

    // Out of order, and seq 1 twice with different bytes: the first one stays.
    expect(await upload(server, token, recordingId, 2, 'CC')).toEqual({ status: 200, body: { stored: true, segment: 0, seq: 2 } });
    expect(await upload(server, token, recordingId, 0, 'AAAA')).toEqual({ status: 200, body: { stored: true, segment: 0, seq: 0 } });
    expect(await upload(server, token, recordingId, 1, 'B')).toEqual({ status: 200, body: { stored: true, segment: 0, seq: 1 } });
    expect(await upload(server, token, recordingId, 1, 'XXXXXXXX')).toEqual({ status: 200, body: { stored: false, segment: 0, seq: 1 } });
    // The route of apps from before segments stores into segment 0, idempotently too.
    expect(await upload(server, token, recordingId, 1, 'YY', undefined, null)).toEqual({ status: 200, body: { stored: false, segment: 0, seq: 1 } });
    // Concurrent re-uploads of a new seq are stored once.
    const racing = await Promise.all([1, 2, 3, 4].map(() => upload(server, token, recordingId, 3, 'DDD')));
    expect(racing.filter((r) => r.body.stored)).toHaveLength(1);

    expect((await upload(server, other.token, recordingId, 4, 'E')).status).toBe(404); // another agent's: as if unknown (issue 17)
    expect((await upload(server, supervisor.token, recordingId, 4, 'E')).status).toBe(403);
    expect((await upload(server, token, 'no-such-recording', 4, 'E')).status).toBe(404);
    expect((await upload(server, token, recordingId, -1, 'E')).status).toBe(400);
    expect((await upload(server, token, recordingId, 4, '')).status).toBe(400);
    expect((await upload(server, token, recordingId, 4, '{}', 'application/json')).status).toBe(415);
    const tooLarge = await upload(server, token, recordingId, 4, Buffer.alloc(MAX_RECORDING_CHUNK_BYTES + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
    const rows = await server.db.kysely.selectFrom('recording_chunks').select(['seq', 'bytes']).where('recording_id', '=', recordingId).orderBy('seq').execute();
    expect(rows).toEqual([
      { seq: 0, bytes: 4 },
      { seq: 1, bytes: 1 },
      { seq: 2, bytes: 2 },
      { seq: 3, bytes: 3 },
    ]);

    expect((await api(server.url, `/api/recordings/${recordingId}/close`, { token: other.token, json: {} })).status).toBe(404);
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { lastSeq: 3 } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', chunks: 4, bytes: 10, missingChunks: 0, assembly: 'single', segments: [{ segment: 0, chunks: 4, bytes: 10, lastSeq: 3, missingSeqs: [] }] });
    expect((await store!.read(server.dataDir, `${recordingId}.webm`)).toString('utf8')).toBe('AAAABCCDDD');
    expect(await store!.names(server.dataDir, recordingId)).toEqual([...['0000000', '0000001', '0000002', '0000003'].map((c) => `${recordingId}.chunks/${c}`), `${recordingId}.webm`]);
    // Played by byte range (a seek): only the bytes asked for.
    const part = await fetchAudio(server.url, recordingId, { range: 'bytes=2-5' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(part.data.toString()).toBe('AABC');
  });

  it('reports missing sequence numbers, also a missing tail; a late chunk fills the gap and joins the file', async () => {
    server = await start();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    for (const seq of [0, 1, 3, 6]) await upload(server, token, recordingId, seq, String(seq));
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, `/api/recordings/${recordingId}`, { token: supervisor.token })).body.segments[0].missingSeqs).toEqual([2, 4, 5]);

    // Hang-up closes the recording on the server; the app then says its last chunk was 8.
    agent.ws.send({ type: 'interaction.end', interactionId });
    await nextFrame(agent.ws, (f) => isRecState(interactionId)(f) && f.type === 'recording.state' && !f.recording);
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { segments: [{ segment: 0, lastSeq: 8 }] } });
    expect(closed.body).toMatchObject({ status: 'closed', missingChunks: 5, segments: [{ segment: 0, lastSeq: 8, missingSeqs: [2, 4, 5, 7, 8] }] });
    expect(closed.body.durationMs).toBeGreaterThanOrEqual(0);

    for (const seq of [2, 4, 5, 7, 8]) await upload(server, token, recordingId, seq, String(seq));
    const done = await api(server.url, `/api/recordings/${recordingId}`, { token: supervisor.token });
    expect(done.body).toMatchObject({ chunks: 9, missingChunks: 0 });
    const audio = await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token });
    expect(audio.status).toBe(200);
    expect(audio.body).toBe('012345678');
  });
});

describe('secure pause', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('only the assigned agent pauses and resumes; every window of theirs is told; stored and audited', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const secondWindow = await wsConnect(server.url, agent.login.token);
    await nextFrame(secondWindow, isRecState(interactionId, false));
    const other = await connectAgent(server, 'agent2');
    const supervisor = await wsConnect(server.url, (await login(server.url, 'super1')).token);

    other.ws.send({ type: 'recording.pause', interactionId, id: 'o' });
    expect((await nextFrame<ServerMessageOf<'error'>>(other.ws, isErrorRef('forbidden', 'o'))).message).toMatch(/not the agent assigned/);
    supervisor.send({ type: 'recording.pause', interactionId, id: 's' });
    await nextFrame(supervisor, isErrorRef('forbidden', 's'));

    agent.ws.send({ type: 'recording.pause', interactionId });
    const paused = await nextFrame<StateFrame>(agent.ws, isRecState(interactionId, true));
    expect(paused).toMatchObject({ recording: true, paused: true, recordingId });
    expect(Date.parse(paused.pausedSince!)).not.toBeNaN();
    await nextFrame(secondWindow, isRecState(interactionId, true));
    // A repeated pause changes nothing (one interval), and answers with the state.
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, isRecState(interactionId, true));
    await new Promise((r) => setTimeout(r, 120));
    secondWindow.send({ type: 'recording.resume', interactionId });
    await nextFrame(agent.ws, isRecState(interactionId, false));
    await nextFrame(secondWindow, isRecState(interactionId, false));

    const meta = (await api(server.url, `/api/recordings/${recordingId}`, { token: (await login(server.url, 'super1')).token })).body;
    expect(meta.pauses).toHaveLength(1);
    expect(meta.pauses[0]).toMatchObject({ startedAt: paused.pausedSince, actor: 'agent1' });
    expect(Date.parse(meta.pauses[0].endedAt) - Date.parse(meta.pauses[0].startedAt)).toBeGreaterThanOrEqual(100);
    expect((await auditActions(server, 'recording.paused')).map((e) => e.actorName)).toEqual(['agent1']);
    const resumed = await auditActions(server, 'recording.resumed');
    expect(resumed).toHaveLength(1);
    expect(resumed[0].details.pausedMs).toBeGreaterThanOrEqual(100);
    await roundTrip(other.ws);
    expect(other.ws.frames.filter(isType('recording.state'))).toEqual([]);
  });

  it('a reconnecting window learns the pause', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId } = await recordedCall(server, agent);
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, isRecState(interactionId, true));
    const again = await wsConnect(server.url, agent.login.token);
    expect(await nextFrame<StateFrame>(again, isRecState(interactionId))).toMatchObject({ recording: true, paused: true });
  });

  it('survives a blind transfer: the next agent gets a paused recording of their own and must resume it', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const first = await recordedCall(server, agent);
    const { interactionId } = first;
    const target = await connectAgent(server, 'agent2');
    agent.ws.send({ type: 'recording.pause', interactionId });
    const paused = await nextFrame<StateFrame>(agent.ws, isRecState(interactionId, true));

    agent.ws.send({ type: 'interaction.transfer', interactionId, to: { kind: 'agent', userId: target.id } });
    expect(await nextFrame<StateFrame>(agent.ws, (f) => isRecState(interactionId)(f) && f.type === 'recording.state' && !f.recording)).toMatchObject({ paused: false });
    await nextFrame(target.ws, isOffer(interactionId));
    target.ws.send({ type: 'offer.accept', interactionId });
    const handed = await nextFrame<StateFrame>(target.ws, isRecState(interactionId));
    expect(handed).toMatchObject({ recording: true, paused: true, pausedSince: paused.pausedSince });
    expect(handed.recordingId).not.toBe(first.recordingId);
    // The first agent can no longer resume it.
    agent.ws.send({ type: 'recording.resume', interactionId, id: 'old' });
    await nextFrame(agent.ws, isErrorRef('forbidden', 'old'));
    await new Promise((r) => setTimeout(r, 50));
    target.ws.send({ type: 'recording.resume', interactionId });
    await nextFrame(target.ws, isRecState(interactionId, false));

    const supervisor = await login(server.url, 'super1');
    const list = (await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: supervisor.token })).body.recordings as Json[];
    expect(list.map((r) => [r.agentName, r.status])).toEqual([
      ['agent1', 'closed'],
      ['agent2', 'recording'],
    ]);
    // agent1's recording: the pause runs to its end. agent2's: from its start until agent2 resumed.
    expect(list[0].pauses).toEqual([{ startedAt: paused.pausedSince, endedAt: list[0].endedAt, actor: 'agent1' }]);
    expect(list[0].durationMs).toBe(Date.parse(paused.pausedSince!) - Date.parse(list[0].startedAt));
    expect(list[1].pauses).toHaveLength(1);
    expect(list[1].pauses[0]).toMatchObject({ startedAt: list[1].startedAt, actor: 'agent1' });
    expect(list[1].pauses[0].endedAt).not.toBeNull();
    // Each agent sees only their own.
    const own = (await api(server.url, `/api/recordings?interactionId=${interactionId}`, { token: target.login.token })).body.recordings as Json[];
    expect(own.map((r) => r.agentName)).toEqual(['agent2']);
  });

  it('hanging up while paused closes the interval and the recording', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId, customer } = await recordedCall(server, agent);
    agent.ws.send({ type: 'recording.pause', interactionId });
    await nextFrame(agent.ws, isRecState(interactionId, true));
    customer.ws.send({ type: 'interaction.end', interactionId });
    const after = await nextFrame<StateFrame>(agent.ws, (f) => isRecState(interactionId)(f) && f.type === 'recording.state' && !f.recording);
    expect(after.paused).toBe(false);
    const supervisor = await login(server.url, 'super1');
    const meta = (await api(server.url, `/api/recordings/${recordingId}`, { token: supervisor.token })).body;
    expect(meta.status).toBe('closed');
    expect(meta.pauses).toHaveLength(1);
    expect(meta.pauses[0].endedAt).toBe(meta.endedAt);
    const pauseRow = await server.db.kysely.selectFrom('recording_pauses').selectAll().where('interaction_id', '=', interactionId).executeTakeFirstOrThrow();
    expect(pauseRow.ended_by).toBe('system');
    expect((await auditActions(server, 'recording.resumed'))[0].details).toMatchObject({ reason: 'call_ended' });
    // Nothing to pause any more.
    agent.ws.send({ type: 'recording.resume', interactionId, id: 'late' });
    await nextFrame(agent.ws, isErrorRef('conflict', 'late'));
  });
});

describe('playback', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  async function finishedRecording(agent: Agent): Promise<string> {
    const { interactionId, recordingId } = await recordedCall(server, agent);
    await upload(server, agent.login.token, recordingId, 0, 'webm-bytes');
    agent.ws.send({ type: 'interaction.end', interactionId });
    await api(server.url, `/api/recordings/${recordingId}/close`, { token: agent.login.token, json: { lastSeq: 0 } });
    return recordingId;
  }

  it('supervisors and admins play and download (audited distinctly); another agent gets 404 as for an unknown id; own only when the policy allows', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const recordingId = await finishedRecording(agent);
    const supervisor = await login(server.url, 'super1');
    const admin = await login(server.url, 'admin');
    const other = await login(server.url, 'agent2');

    const played = await api(server.url, `/api/recordings/${recordingId}/audio`, { token: supervisor.token });
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toBe('audio/webm');
    expect(played.headers.get('content-disposition')).toBeNull();
    expect(played.body).toBe('webm-bytes');
    const downloaded = await api(server.url, `/api/recordings/${recordingId}/audio?download=1`, { token: admin.token });
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-disposition')).toBe(`attachment; filename="recording-${recordingId}.webm"`);

    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: other.token })).status).toBe(404);
    expect((await api(server.url, `/api/recordings/${recordingId}`, { token: other.token })).status).toBe(404);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`)).status).toBe(401);
    const own = await api(server.url, `/api/recordings/${recordingId}/audio`, { token: agent.login.token });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/policy/);
    expect((await api(server.url, `/api/recordings/${recordingId}`, { token: agent.login.token })).status).toBe(200);

    await api(server.url, '/api/admin/recording-policy', { method: 'PUT', token: admin.token, json: { recordCalls: true, agentsMayPlayOwn: true, reminderAfterSeconds: 60 } });
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: agent.login.token })).status).toBe(200);
    expect((await api(server.url, `/api/recordings/${recordingId}/audio`, { token: other.token })).status).toBe(404);

    const plays = await auditActions(server, 'recording.played');
    expect(plays.map((e) => e.actorName)).toEqual(['super1', 'agent1']);
    expect(plays[0]).toMatchObject({ target: recordingId, details: { recordingId } });
    expect((await auditActions(server, 'recording.downloaded')).map((e) => e.actorName)).toEqual(['admin']);
    expect((await api(server.url, '/api/audit/verify', { token: admin.token })).body.intact).toBe(true);
  });

  it('unknown recordings are 404', async () => {
    server = await startInteractionsBackend();
    const supervisor = await login(server.url, 'super1');
    expect((await api(server.url, '/api/recordings/nope', { token: supervisor.token })).status).toBe(404);
    expect((await api(server.url, '/api/recordings/nope/audio', { token: supervisor.token })).status).toBe(404);
    expect((await api(server.url, `/api/recordings/${'x'.repeat(80)}/audio`, { token: supervisor.token })).status).toBe(404);
  });
});

