import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMessageOf } from '../../shared/api/ws';
import { startInProcess, type InProcessServer } from '../support/in-process';
import { byteChunks, inspectWebm, opusWebm } from '../support/recording-webm';
import { api, closeSockets, login, nextFrame, type Json, type TestBackend } from './helpers';
import { connectAgent, connected, INTERACTION_DEFAULTS, startInteractionsBackend, type Agent } from './interactions-support';

/**
 * A reload of the agent's app mid-call starts a second MediaRecorder run: a WebM stream of its own
 * (header, timestamps from 0). The server keeps each run as a segment and makes one file of them.
 */

type StateFrame = ServerMessageOf<'recording.state'>;

const FIRST = { hz: 440, seconds: 2.5 };
const SECOND = { hz: 660, seconds: 1.7 };
const CHUNK_BYTES = 1500;

async function upload(url: string, token: string, recordingId: string, segment: number, seq: number, bytes: Buffer) {
  const res = await fetch(`${url}/api/recordings/${recordingId}/segments/${segment}/chunks/${seq}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'audio/webm;codecs=opus' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function recordedCall(server: { url: string }, agent: Agent) {
  const customer = await connected(server as TestBackend, agent, { kind: 'call' });
  const state = await nextFrame<StateFrame>(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === customer.interactionId);
  expect(state.recording).toBe(true);
  return { customer, interactionId: customer.interactionId, recordingId: state.recordingId! };
}

/** The two runs of a reloaded call, as the app's chunks: segment 0 and segment 1, each from seq 0. */
function twoRuns() {
  return [byteChunks(opusWebm(FIRST.hz, FIRST.seconds), CHUNK_BYTES), byteChunks(opusWebm(SECOND.hz, SECOND.seconds), CHUNK_BYTES)] as const;
}

async function fetchAudio(url: string, recordingId: string): Promise<{ file: string; data: Buffer }> {
  const supervisor = await login(url, 'super1');
  const res = await fetch(`${url}/api/recordings/${recordingId}/audio`, { headers: { authorization: `Bearer ${supervisor.token}` } });
  expect(res.status).toBe(200);
  const data = Buffer.from(await res.arrayBuffer());
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-rec-')), 'audio.webm');
  fs.writeFileSync(file, data);
  return { file, data };
}

describe('recording segments', () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('two recorder runs of one call become one WebM: one header, one timeline, the total duration; missing seqs per segment', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const token = agent.login.token;
    const [first, second] = twoRuns();
    expect(first.length).toBeGreaterThan(3);

    // The first page uploaded all but its last chunk before the reload; the second page starts segment 1 at seq 0.
    for (const [seq, bytes] of first.slice(0, -1).entries()) expect((await upload(server.url, token, recordingId, 0, seq, bytes)).body).toEqual({ stored: true, segment: 0, seq });
    for (const [seq, bytes] of second.entries()) expect((await upload(server.url, token, recordingId, 1, seq, bytes)).body).toEqual({ stored: true, segment: 1, seq });
    // Idempotent per (recording, segment, seq): a re-upload is not stored again.
    expect((await upload(server.url, token, recordingId, 1, 0, second[0]!)).body).toEqual({ stored: false, segment: 1, seq: 0 });

    agent.ws.send({ type: 'interaction.end', interactionId });
    await nextFrame(agent.ws, (f) => f.type === 'recording.state' && f.interactionId === interactionId && !f.recording);
    const lastOfFirst = first.length - 1;
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, {
      token,
      json: { segments: [{ segment: 0, lastSeq: lastOfFirst }, { segment: 1, lastSeq: second.length - 1 }] },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      missingChunks: 1,
      segments: [
        { segment: 0, chunks: lastOfFirst, lastSeq: lastOfFirst, missingSeqs: [lastOfFirst] },
        { segment: 1, chunks: second.length, lastSeq: second.length - 1, missingSeqs: [] },
      ],
    });

    // The chunk that waited in the first page's IndexedDB arrives late: the file is made again.
    await upload(server.url, token, recordingId, 0, lastOfFirst, first[lastOfFirst]!);
    const supervisor = await login(server.url, 'super1');
    const meta = (await api(server.url, `/api/recordings/${recordingId}`, { token: supervisor.token })).body;
    expect(meta).toMatchObject({ missingChunks: 0, assembly: 'joined', assemblyNote: null });

    const { file, data } = await fetchAudio(server.url, recordingId);
    const report = inspectWebm(file, data);
    const total = FIRST.seconds + SECOND.seconds;
    expect(report.ebmlHeaders).toBe(1);
    expect(report.monotonic).toBe(true);
    expect(report.formatSeconds).not.toBeNull();
    expect(Math.abs(report.formatSeconds! - total)).toBeLessThan(0.1);
    expect(Math.abs(report.lastPacketEnd - total)).toBeLessThan(0.1);
    expect(Math.abs(report.decodedSeconds - total)).toBeLessThan(0.1);
  });

  it('a segment without its first chunk (the WebM header) is left out and said so; the rest still plays', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const [first, second] = twoRuns();
    for (const [seq, bytes] of first.entries()) await upload(server.url, agent.login.token, recordingId, 0, seq, bytes);
    for (const [seq, bytes] of second.entries()) if (seq > 0) await upload(server.url, agent.login.token, recordingId, 1, seq, bytes);
    agent.ws.send({ type: 'interaction.end', interactionId });
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, { token: agent.login.token, json: { segments: [{ segment: 1, lastSeq: second.length - 1 }] } });
    expect(closed.body).toMatchObject({ missingChunks: 1, assembly: 'single', segments: [{ segment: 0, missingSeqs: [] }, { segment: 1, missingSeqs: [0] }] });
    expect(closed.body.assemblyNote).toMatch(/segment\(s\) 1 left out: the first chunk \(the WebM header\) never arrived/);
    const { file, data } = await fetchAudio(server.url, recordingId);
    expect(Math.abs(inspectWebm(file, data).decodedSeconds - FIRST.seconds)).toBeLessThan(0.1);
  });
});

describe('recording segments without ffmpeg', () => {
  let running: InProcessServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await closeSockets();
    // Known issue: in the full parallel suite (never alone) this server's close has hung past the
    // hook's 30 s after the restart with ffmpeg; until the cause is found, teardown waits 10 s and says so.
    const closing = running?.close();
    const gaveUp = await Promise.race([closing?.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 10_000).unref())]);
    if (gaveUp) console.warn('[known issue] recording-segments: server close still pending after 10 s; teardown went on');
    running = undefined;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stay unjoined, flagged with what to install, nothing lost; the next start with ffmpeg joins them', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    running = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir, ffmpegPath: path.join(dataDir, 'no-ffmpeg-here') });
    const backend = running as unknown as TestBackend;
    const agent = await connectAgent(backend, 'agent1');
    const { interactionId, recordingId } = await recordedCall(backend, agent);
    const [first, second] = twoRuns();
    for (const [seq, bytes] of first.entries()) await upload(running.url, agent.login.token, recordingId, 0, seq, bytes);
    for (const [seq, bytes] of second.entries()) await upload(running.url, agent.login.token, recordingId, 1, seq, bytes);
    agent.ws.send({ type: 'interaction.end', interactionId });
    const closed = await api(running.url, `/api/recordings/${recordingId}/close`, {
      token: agent.login.token,
      json: { segments: [{ segment: 0, lastSeq: first.length - 1 }, { segment: 1, lastSeq: second.length - 1 }] },
    });
    expect(closed.body).toMatchObject({ missingChunks: 0, assembly: 'unjoined' });
    expect(closed.body.assemblyNote).toMatch(/ffmpeg was not found .*apt-get install ffmpeg.*VEILDESK_FFMPEG_PATH.*next start/);
    // Nothing lost: every byte is in the file (segments back to back).
    const unjoined = await fetchAudio(running.url, recordingId);
    expect(unjoined.data.length).toBe(first.reduce((n, c) => n + c.length, 0) + second.reduce((n, c) => n + c.length, 0));
    expect(inspectWebm(unjoined.file, unjoined.data).ebmlHeaders).toBe(2);

    await closeSockets();
    await running.close();
    running = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
    const supervisor = await login(running.url, 'super1');
    await expect
      .poll(async () => (await api(running!.url, `/api/recordings/${recordingId}`, { token: supervisor.token })).body.assembly, { timeout: 20_000 })
      .toBe('joined');
    const joined = await fetchAudio(running.url, recordingId);
    const report = inspectWebm(joined.file, joined.data);
    expect(report.ebmlHeaders).toBe(1);
    expect(Math.abs(report.formatSeconds! - (FIRST.seconds + SECOND.seconds))).toBeLessThan(0.1);
  });
});
