import { afterEach, describe, expect, it } from 'vitest';
import { byteChunks, opusWebm } from '../support/recording-webm';
import { api, closeSockets, startBackend, testClock, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS } from './interactions-support';
import { auditEntries, endCall, recordedCall, upload } from './recording-integrity-support';

/**
 * After a recording closed, only chunks that were still on their way are taken: within the grace
 * window, and once the agent's app announced its last seqs, none beyond them. Everything else is
 * refused and audited; nothing grows past the byte quota.
 */

const GRACE_S = 120;
/** Audit details of these entries: ids and numbers only (no names, no audio, no text). */
const ID_ONLY_KEYS = ['recordingId', 'interactionId', 'agentId', 'segment', 'seq', 'bytes', 'reason', 'segments'];

describe('recording integrity', { timeout: 60_000 }, () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await closeSockets();
    await server?.close();
    server = undefined;
  });

  it('late chunks: taken within the grace window until the app announced its last seqs; beyond them, or after the window, refused and audited', async () => {
    const clock = testClock();
    server = await startBackend({ ...INTERACTION_DEFAULTS, recordingGraceMs: GRACE_S * 1000 }, { now: clock.now });
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    const chunks = byteChunks(opusWebm(440, 2), 1000);
    expect(chunks.length).toBeGreaterThan(4);
    for (const seq of [0, 1, 2]) expect((await upload(server.url, token, recordingId, 0, seq, chunks[seq]!)).status).toBe(200);

    // Hang-up: the server closes the recording. A chunk that was in flight still joins (audited as after the close).
    await endCall(agent, interactionId);
    expect((await upload(server.url, token, recordingId, 0, 3, chunks[3]!)).body).toEqual({ stored: true, segment: 0, seq: 3 });
    const after = await auditEntries(server, 'recording.chunk_after_close');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ actorId: null, actorName: null, target: recordingId, details: { recordingId, interactionId, agentId: agent.id, segment: 0, seq: 3, bytes: chunks[3]!.length } });

    // The app announces seq 4 as the last of segment 0 (4 itself is still on its way).
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { segments: [{ segment: 0, lastSeq: 4 }] } });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', segments: [{ segment: 0, lastSeq: 4, missingSeqs: [4] }] });

    // Beyond the announced last seq, and a segment never announced: refused with what happened, audited.
    const beyond = await upload(server.url, token, recordingId, 0, 5, chunks[5] ?? chunks[0]!);
    expect(beyond.status).toBe(409);
    expect(beyond.body.error.message).toMatch(/announced seq 4 as the last of segment 0.*not stored.*audited/);
    const otherSegment = await upload(server.url, token, recordingId, 1, 0, chunks[0]!);
    expect(otherSegment.status).toBe(409);
    expect(otherSegment.body.error.message).toMatch(/Segment 1 was not among the segments the app announced/);
    // Raising the announcement afterwards is refused too: the first one is final.
    const raise = await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { segments: [{ segment: 0, lastSeq: 40 }] } });
    expect(raise.status).toBe(409);
    // The same announcement again (a retry of the app) is answered as before.
    expect((await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { segments: [{ segment: 0, lastSeq: 4 }] } })).status).toBe(200);

    // The announced chunk 4 is taken while the window lasts; a re-upload of a stored chunk is acknowledged, not stored.
    expect((await upload(server.url, token, recordingId, 0, 4, chunks[4]!)).body).toEqual({ stored: true, segment: 0, seq: 4 });
    expect((await upload(server.url, token, recordingId, 0, 1, chunks[1]!)).body).toEqual({ stored: false, segment: 0, seq: 1 });

    // Past the grace window a re-upload of a stored chunk is still only acknowledged: its bytes never replace the stored ones.
    const metaBefore = (await api(server.url, `/api/recordings/${recordingId}`, { token })).body;
    clock.advance((GRACE_S + 1) * 1000);
    expect((await upload(server.url, token, recordingId, 0, 2, Buffer.from('forged audio that must never be stored'))).body).toEqual({ stored: false, segment: 0, seq: 2 });

    const refusals = await auditEntries(server, 'recording.chunk_refused');
    expect(refusals.map((e) => e.details.reason).sort()).toEqual(['beyond_last_seq', 'segment_not_announced']);
    for (const e of [...refusals, ...after]) {
      // No name of anyone: the agent by id only.
      expect(e).toMatchObject({ actorId: null, actorName: null, details: { agentId: agent.id } });
      expect(Object.keys(e.details).every((k) => ID_ONLY_KEYS.includes(k))).toBe(true);
    }
    const closeRefused = await auditEntries(server, 'recording.close_refused');
    expect(closeRefused).toHaveLength(1);
    expect(closeRefused[0]).toMatchObject({ actorName: null });
    expect(closeRefused[0].details).toMatchObject({ recordingId, interactionId, agentId: agent.id, segments: [{ segment: 0, lastSeq: 40, announced: 4 }] });
    const metaAfter = (await api(server.url, `/api/recordings/${recordingId}`, { token })).body;
    expect(metaAfter.bytes).toBe(metaBefore.bytes);

    const admin = await api(server.url, '/api/auth/login', { json: { username: 'admin', password: 'demo' } });
    expect((await api(server.url, '/api/audit/verify', { token: admin.body.token })).body.intact).toBe(true);
  });

  it('a chunk after the grace window is refused and audited, before and after the app announced', async () => {
    const clock = testClock();
    server = await startBackend({ ...INTERACTION_DEFAULTS, recordingGraceMs: GRACE_S * 1000 }, { now: clock.now });
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    const chunks = byteChunks(opusWebm(440, 1), 800);
    expect((await upload(server.url, token, recordingId, 0, 0, chunks[0]!)).status).toBe(200);
    await endCall(agent, interactionId);
    clock.advance((GRACE_S + 1) * 1000);

    // Not announced: the app never said its last seq, but the window is over.
    const refused = await upload(server.url, token, recordingId, 0, 1, chunks[1]!);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/closed more than 120 s ago \(VEILDESK_RECORDING_GRACE_S\).*not stored.*audited/);
    // Announced afterwards (allowed: it shows the missing tail), still nothing is added.
    expect((await api(server.url, `/api/recordings/${recordingId}/close`, { token, json: { segments: [{ segment: 0, lastSeq: 1 }] } })).body).toMatchObject({ missingChunks: 1 });
    expect((await upload(server.url, token, recordingId, 0, 1, chunks[1]!)).status).toBe(409);

    const refusals = await auditEntries(server, 'recording.chunk_refused');
    expect(refusals).toHaveLength(2);
    for (const e of refusals) expect(e).toMatchObject({ actorId: null, actorName: null, target: recordingId, details: { recordingId, interactionId, agentId: agent.id, segment: 0, seq: 1, reason: 'grace_over' } });
    const meta = (await api(server.url, `/api/recordings/${recordingId}`, { token })).body;
    expect(meta).toMatchObject({ chunks: 1, missingChunks: 1 });
  });

  it('a chunk beyond the byte quota of a recording is refused with the limit named, and audited', async () => {
    server = await startBackend({ ...INTERACTION_DEFAULTS, recordingMaxBytes: 4096 });
    const agent = await connectAgent(server, 'agent1');
    const { recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    const chunk = Buffer.alloc(1500, 7);
    expect((await upload(server.url, token, recordingId, 0, 0, chunk)).status).toBe(200);
    expect((await upload(server.url, token, recordingId, 0, 1, chunk)).status).toBe(200);
    const over = await upload(server.url, token, recordingId, 0, 2, chunk);
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'payload_too_large' });
    expect(over.body.error.message).toMatch(/limit of 4096 bytes \(VEILDESK_RECORDING_MAX_BYTES\); the chunk was not stored/);
    // What still fits is taken.
    expect((await upload(server.url, token, recordingId, 0, 2, chunk.subarray(0, 1096))).status).toBe(200);
    expect((await upload(server.url, token, recordingId, 0, 3, chunk.subarray(0, 1))).status).toBe(413);
    const refusals = await auditEntries(server, 'recording.chunk_refused');
    expect(refusals.map((e) => e.details).sort((a, b) => a.seq - b.seq)).toEqual([
      { recordingId, interactionId: expect.any(String), agentId: agent.id, segment: 0, seq: 2, bytes: 1500, reason: 'quota' },
      { recordingId, interactionId: expect.any(String), agentId: agent.id, segment: 0, seq: 3, bytes: 1, reason: 'quota' },
    ]);
    expect((await api(server.url, `/api/recordings/${recordingId}`, { token })).body).toMatchObject({ chunks: 3, bytes: 4096 });
  });
});
