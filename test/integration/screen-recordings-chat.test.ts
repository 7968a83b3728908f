import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { ExportArchives } from '../../server/modules/privacy/export/export-archives';
import type { ExportManifest } from '../../server/modules/privacy/export/manifest';
import { PrivacyExporter } from '../../server/modules/privacy/export/privacy-exporter';
import { createRecordingStorage } from '../../server/modules/recordings/storage/create-storage';
import { api, login, nextFrame, startBackend, testClock, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, INTERACTION_DEFAULTS, isErrorRef, type Agent, type Customer } from './interactions-support';
import { auditEntries } from './recording-integrity-support';
import { endAndWrapUp, waitForEnd } from './privacy-support';
import { executorContext, readZip } from './privacy-export-support';

/**
 * Screen recording of chats (issue 20): under `calls_and_chats` (and `sampled`) a chat the agent
 * accepts gets a screen recording like a call, secure pause protects it, it ends with the chat and
 * erase and export reach it. And where each recording's media starts (`mediaOffsetMs`, migration
 * 030), so the player lines a late screen up with the audio.
 */

type StateFrame = ServerMessageOf<'recording.state'>;
const POLICY = '/api/admin/screen-recording-policy';
const BOTH = { mode: 'calls_and_chats', samplePercent: 10, viewerRoles: ['supervisor', 'admin'], fps: 2 } as const;

async function setPolicy(server: TestBackend, json: Json): Promise<string> {
  const admin = await login(server.url, 'admin');
  expect((await api(server.url, POLICY, { method: 'PUT', token: admin.token, json })).status).toBe(200);
  return admin.token;
}

async function upload(url: string, token: string, recordingId: string, segment: number, seq: number, bytes: string, startedAgoMs?: number) {
  const query = startedAgoMs === undefined ? '' : `?startedAgoMs=${startedAgoMs}`;
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/${segment}/chunks/${seq}${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'video/webm;codecs=vp8' },
    body: new Uint8Array(Buffer.from(bytes)),
  });
  return res.status;
}

/** An accepted chat whose state frame names a screen recording. */
async function screenRecordedChat(server: TestBackend, agent: Agent, customer?: Json): Promise<{ chat: Customer; screenId: string }> {
  const chat = await connected(server, agent, { kind: 'chat', ...(customer ? { customer } : {}) });
  const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && f.screen !== undefined);
  expect(state.recording).toBe(false);
  return { chat, screenId: state.screen!.recordingId };
}

describe('screen recording of chats', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('calls_and_chats: an accepted chat is screen recorded; secure pause protects it (stored, audited, the customer told nothing); it closes when the chat ends', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    await setPolicy(server, BOTH);
    const agent = await connectAgent(server, 'agent1');
    const { chat, screenId } = await screenRecordedChat(server, agent);
    const started = await auditEntries(server, AuditAction.screenRecordingStarted);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ target: screenId, details: { interactionId: chat.interactionId, kind: 'chat', mode: 'calls_and_chats' } });
    expect(await upload(server.url, agent.login.token, screenId, 0, 0, 'ONE')).toBe(200);

    agent.ws.send({ type: 'recording.pause', interactionId: chat.interactionId, id: 'p1' });
    const paused = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && f.paused);
    expect(paused.screen?.recordingId).toBe(screenId);
    expect(agent.ws.frames.some(isErrorRef('conflict', 'p1'))).toBe(false);
    agent.ws.send({ type: 'recording.resume', interactionId: chat.interactionId, id: 'r1' });
    await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && !f.paused && f.screen !== undefined);
    expect(await upload(server.url, agent.login.token, screenId, 0, 1, 'TWO')).toBe(200);
    // A chat's customer has no recording line: secure pause of the agent's screen is not theirs to see.
    expect(chat.ws.frames.some((f) => f.type === 'call.recording')).toBe(false);

    // Ending the chat ends the screen recording: the agent's recorder is told (no screen), the row closes.
    agent.ws.send({ type: 'interaction.end', interactionId: chat.interactionId });
    const over = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && f.screen === undefined);
    expect(over.paused).toBe(false);
    const supervisor = await login(server.url, 'super1');
    const meta = (await api(server.url, `/api/recordings/${screenId}`, { token: supervisor.token })).body;
    expect(meta).toMatchObject({ kind: 'screen', interactionId: chat.interactionId, status: 'closed', chunks: 2, pauses: [{ actor: 'agent1' }] });
    expect(meta.pauses[0].endedAt).not.toBeNull();
    expect((await auditEntries(server, AuditAction.recordingClosed)).map((e) => e.details)).toEqual([expect.objectContaining({ recordingId: screenId, reason: 'chat_ended' })]);
    expect((await auditEntries(server, AuditAction.recordingPaused)).map((e) => e.target)).toEqual([chat.interactionId]);
    const listed = await api(server.url, `/api/recordings?interactionId=${chat.interactionId}`, { token: supervisor.token });
    expect(listed.body.recordings.map((r: Json) => r.kind)).toEqual(['screen']);
  });

  it("a screen recording held by the agent's pause of another chat lists that pause (overlapping ones as one); another agent's pauses are not in it", async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    await setPolicy(server, BOTH);
    const agent = await connectAgent(server, 'agent1');
    const first = await screenRecordedChat(server, agent);
    const second = await screenRecordedChat(server, agent);
    const pause = async (interactionId: string, paused: boolean) => {
      agent.ws.send({ type: paused ? 'recording.pause' : 'recording.resume', interactionId });
      await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && f.paused === paused);
    };
    // The agent pauses the second chat alone, then both, overlapping.
    await pause(second.chat.interactionId, true);
    await pause(second.chat.interactionId, false);
    // Pauses that touch are one (same millisecond): let the clock pass the resume so the next pause is apart.
    const resumedAt = await server.db.kysely.selectFrom('recording_pauses').select('ended_at').where('interaction_id', '=', second.chat.interactionId).executeTakeFirstOrThrow();
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(Date.parse(resumedAt.ended_at!) + 1));
    await pause(first.chat.interactionId, true);
    await pause(second.chat.interactionId, true);
    await pause(first.chat.interactionId, false);
    await pause(second.chat.interactionId, false);
    // Someone else's pause in the same time (as after a transfer of the second chat) does not hold agent1's screen.
    const rows = await server.db.kysely.selectFrom('recording_pauses').selectAll().orderBy('id').execute();
    const agent2 = await server.db.kysely.selectFrom('users').select('id').where('username', '=', 'agent2').executeTakeFirstOrThrow();
    await server.db.kysely
      .insertInto('recording_pauses')
      .values({ interaction_id: second.chat.interactionId, started_at: rows[0]!.started_at, ended_at: rows[2]!.ended_at, actor_id: agent2.id, actor_name: 'agent2', ended_by: 'agent2' })
      .execute();
    for (const { chat } of [first, second]) agent.ws.send({ type: 'interaction.end', interactionId: chat.interactionId });
    await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === second.chat.interactionId && f.screen === undefined);

    const supervisor = await login(server.url, 'super1');
    const meta = (await api(server.url, `/api/recordings/${first.screenId}`, { token: supervisor.token })).body;
    const [alone, firstOwn, overlapping] = [rows[0]!, rows[1]!, rows[2]!];
    expect(rows.map((r) => r.interaction_id)).toEqual([second.chat.interactionId, first.chat.interactionId, second.chat.interactionId]);
    expect(overlapping.started_at >= firstOwn.started_at).toBe(true);
    expect(meta.pauses).toEqual([
      { startedAt: alone.started_at, endedAt: alone.ended_at, actor: 'agent1' },
      { startedAt: firstOwn.started_at, endedAt: overlapping.ended_at, actor: 'agent1' },
    ]);
    // The recorded time leaves both out.
    const held = meta.pauses.reduce((sum: number, p: Json) => sum + Date.parse(p.endedAt) - Date.parse(p.startedAt), 0);
    expect(meta.durationMs).toBe(Date.parse(meta.endedAt) - Date.parse(meta.startedAt) - held);
    // The second chat's own screen recording lists every pause of its chat, whoever made it: here one span over all of them.
    const other = (await api(server.url, `/api/recordings/${second.screenId}`, { token: supervisor.token })).body;
    expect(other.pauses.map((p: Json) => [p.startedAt, p.endedAt])).toEqual([[alone.started_at, overlapping.ended_at]]);
  });

  it('a chat paused when it ends: the pause ends with it', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    await setPolicy(server, BOTH);
    const agent = await connectAgent(server, 'agent1');
    const { chat, screenId } = await screenRecordedChat(server, agent);
    agent.ws.send({ type: 'recording.pause', interactionId: chat.interactionId });
    await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && f.paused);
    agent.ws.send({ type: 'interaction.end', interactionId: chat.interactionId });
    await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId && f.screen === undefined && !f.paused);
    const pauses = await server.db.kysely.selectFrom('recording_pauses').selectAll().where('interaction_id', '=', chat.interactionId).execute();
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ ended_by: 'system' });
    expect(pauses[0]!.ended_at).not.toBeNull();
    const admin = await login(server.url, 'admin');
    expect((await api(server.url, `/api/recordings/${screenId}`, { token: admin.token })).body).toMatchObject({ status: 'closed' });
  });

  it('calls only: a chat is not screen recorded and has nothing to pause; sampled at 100 % records chats too', async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    await setPolicy(server, { ...BOTH, mode: 'calls' });
    const agent = await connectAgent(server, 'agent1');
    const plain = await connected(server, agent, { kind: 'chat' });
    agent.ws.send({ type: 'recording.pause', interactionId: plain.interactionId, id: 'p1' });
    await nextFrame(agent.ws, isErrorRef('conflict', 'p1'));
    expect(agent.ws.frames.some((f) => f.type === 'recording.state' && f.interactionId === plain.interactionId)).toBe(false);
    expect(await auditEntries(server, AuditAction.screenRecordingStarted)).toEqual([]);

    await setPolicy(server, { ...BOTH, mode: 'sampled', samplePercent: 100 });
    const { chat } = await screenRecordedChat(server, agent);
    expect((await auditEntries(server, AuditAction.screenRecordingStarted)).map((e) => e.details)).toEqual([expect.objectContaining({ interactionId: chat.interactionId, kind: 'chat', mode: 'sampled' })]);
  });

  it("an agent's window that connects mid-chat learns the chat's screen recording", async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    await setPolicy(server, BOTH);
    const agent = await connectAgent(server, 'agent1');
    const { chat, screenId } = await screenRecordedChat(server, agent);
    const second = await connectAgent(server, 'agent1');
    const state = await nextFrame<StateFrame>(second.ws, (f) => f.type === 'recording.state' && f.interactionId === chat.interactionId);
    expect(state.screen?.recordingId).toBe(screenId);
  });

  it("a privacy erase deletes a chat's screen recording, rows and files; an access export includes it", async () => {
    server = await startBackend(INTERACTION_DEFAULTS);
    const admin = await setPolicy(server, BOTH);
    const agent = await connectAgent(server, 'agent1');
    const person = { name: 'Chet Chatter', email: 'chet.chatter@example.test' };
    const { chat, screenId } = await screenRecordedChat(server, agent, person);
    expect(await upload(server.url, agent.login.token, screenId, 0, 0, 'CHATSCREEN')).toBe(200);
    await endAndWrapUp(agent, chat, 'chat screen');

    // Export first (read only): the screen recording's bytes are in the archive.
    const archives = new ExportArchives(server.dataDir);
    const exporter = new PrivacyExporter({ db: server.db, archives, audio: createRecordingStorage(server.config, null) });
    const ctx = executorContext([chat.interactionId]);
    await exporter.run(ctx);
    const entries = await readZip(archives.pathOf(ctx.requestId));
    const manifest = JSON.parse(entries.get('manifest.json')!.data!.toString('utf8')) as ExportManifest;
    const item = manifest.items.find((i) => i.kind === 'recording');
    expect(item).toMatchObject({ id: screenId, interactionId: chat.interactionId, bytes: 'CHATSCREEN'.length });
    expect(entries.get(item!.path)!.data!.toString()).toBe('CHATSCREEN');

    const files = () => fs.readdirSync(`${server.dataDir}/recordings`).filter((n) => n.startsWith(screenId));
    expect(files().length).toBeGreaterThan(0);
    const officer = await login(server.url, 'privacy1');
    const created = await api(server.url, '/api/privacy/requests', { token: officer.token, json: { type: 'erase', subject: { email: person.email }, confirm: true } });
    expect(created.status).toBe(202);
    const done = await waitForEnd(server, officer.token, created.body.id);
    expect(done.status).toBe('completed');
    expect(done.stores.find((x) => x.store === 'recordings')).toEqual({ store: 'recordings', found: 1, done: 1 });
    expect(files()).toEqual([]);
    expect((await api(server.url, `/api/recordings/${screenId}`, { token: admin })).status).toBe(404);
  });
});

describe('where a recording’s media starts (mediaOffsetMs)', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('seq 0 of the first segment places the start on the server clock; later reports and other segments do not move it; none: null', async () => {
    const clock = testClock();
    server = await startBackend(INTERACTION_DEFAULTS, { now: clock.now });
    await setPolicy(server, { ...BOTH, mode: 'calls' });
    const agent = await connectAgent(server, 'agent1');
    const call = await connected(server, agent, { kind: 'call' });
    const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === call.interactionId && f.screen !== undefined && f.recordingId !== undefined);
    const token = agent.login.token;
    const screenId = state.screen!.recordingId;
    const audioId = state.recordingId!;
    // The audio recorder started 300 ms after the connect, its first chunk uploaded 1 s later.
    clock.advance(1300);
    expect(await upload(server.url, token, audioId, 0, 0, 'A0', 1000)).toBe(200);
    // The agent granted the screen 6 s into the call; its first chunk came up 1.2 s after that.
    clock.advance(5900);
    expect(await upload(server.url, token, screenId, 0, 0, 'S0', 1200)).toBe(200);
    // A retry of the same chunk, and a reload's next segment, say other times: the file still starts with segment 0.
    clock.advance(5000);
    expect(await upload(server.url, token, screenId, 0, 0, 'S0', 100)).toBe(200);
    expect(await upload(server.url, token, screenId, 1, 0, 'S1', 100)).toBe(200);
    const admin = await login(server.url, 'admin');
    const meta = async (id: string) => (await api(server.url, `/api/recordings/${id}`, { token: admin.token })).body;
    // The test clock runs on with real time too: each offset is what the steps set plus the real time the test took so far.
    const audioOffset = (await meta(audioId)).mediaOffsetMs as number;
    const screenOffset = (await meta(screenId)).mediaOffsetMs as number;
    expect(audioOffset).toBeGreaterThanOrEqual(300);
    expect(audioOffset).toBeLessThan(300 + 3000);
    expect(screenOffset).toBeGreaterThanOrEqual(6000);
    expect(screenOffset - audioOffset).toBeGreaterThanOrEqual(5700);
    expect(screenOffset - audioOffset).toBeLessThan(5700 + 3000);

    // Out of range, or not a number: refused, nothing stored.
    expect(await upload(server.url, token, screenId, 0, 1, 'S1', -5)).toBe(400);
    expect(await upload(server.url, token, screenId, 0, 1, 'S1', 25 * 3600 * 1000)).toBe(400);

    // A recording whose first chunk says nothing (an older app): null, the player assumes its start.
    await endAndWrapUp(agent, call, 'offsets');
    const next = await connected(server, agent, { kind: 'call' });
    const s2 = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === next.interactionId && f.screen !== undefined);
    expect(await upload(server.url, token, s2.screen!.recordingId, 0, 0, 'X')).toBe(200);
    expect((await meta(s2.screen!.recordingId)).mediaOffsetMs).toBeNull();
  });

  it('a report that would place the start before the recording began counts as its start', async () => {
    const clock = testClock();
    server = await startBackend(INTERACTION_DEFAULTS, { now: clock.now });
    await setPolicy(server, { ...BOTH, mode: 'calls' });
    const agent = await connectAgent(server, 'agent1');
    const call = await connected(server, agent, { kind: 'call' });
    const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === call.interactionId && f.screen !== undefined);
    clock.advance(500);
    expect(await upload(server.url, agent.login.token, state.screen!.recordingId, 0, 0, 'S0', 2000)).toBe(200);
    const admin = await login(server.url, 'admin');
    // 500 ms of clock (plus the real time since the connect, well under 1.5 s) against 2 s ago: before the start.
    expect((await api(server.url, `/api/recordings/${state.screen!.recordingId}`, { token: admin.token })).body.mediaOffsetMs).toBe(0);
  });
});
