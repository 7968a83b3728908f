import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyId } from '../../server/modules/recordings/storage/key-ring';
import { startInProcess, type InProcessServer } from '../support/in-process';
import { onPostgres, dropTestDatabase } from '../support/test-database';
import { byteChunks, inspectWebm, opusWebm } from '../support/recording-webm';
import { api, closeSockets, startBackend, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS, type Agent } from './interactions-support';
import { endCall, fetchAudio, modesUnder, recordedCall, tempFile, upload } from './recording-integrity-support';
import { RECORDING_STORES, recordingStore, type RecordingStoreUnderTest } from '../support/recording-stores';

/**
 * What the server leaves on disk: a private data dir (0700, files 0600, ffmpeg's output included),
 * recordings sealed at rest when a key is set (no audio bytes readable on disk), played back by
 * byte range, a damaged block refused with a clear error; assemblies debounced.
 */

const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
const OPUS_HEAD = Buffer.from('OpusHead');
const FIRST = { hz: 440, seconds: 12 };
const SECOND = { hz: 660, seconds: 9 };

/** Two recorder runs of one call (a reload mid-call), uploaded, the call ended and the recording closed by the app. */
async function recordTwoRuns(server: TestBackend, agent: Agent) {
  const { interactionId, recordingId } = await recordedCall(server, agent);
  const runs = [byteChunks(opusWebm(FIRST.hz, FIRST.seconds), 16_000), byteChunks(opusWebm(SECOND.hz, SECOND.seconds), 16_000)];
  for (const [segment, chunks] of runs.entries()) {
    for (const [seq, bytes] of chunks.entries()) expect((await upload(server.url, agent.login.token, recordingId, segment, seq, bytes)).status).toBe(200);
  }
  await endCall(agent, interactionId);
  const closed = await api(server.url, `/api/recordings/${recordingId}/close`, {
    token: agent.login.token,
    json: { segments: runs.map((chunks, segment) => ({ segment, lastSeq: chunks.length - 1 })) },
  });
  expect(closed.body).toMatchObject({ status: 'closed', missingChunks: 0, assembly: 'joined' });
  return { interactionId, recordingId, runs };
}

function filesUnder(dir: string): string[] {
  return modesUnder(dir)
    .filter((e) => !e.dir)
    .map((e) => path.join(dir, e.path));
}

describe('recordings at rest', { timeout: 60_000 }, () => {
  let server: TestBackend | InProcessServer | undefined;
  let store: RecordingStoreUnderTest | undefined;
  let dirs: string[] = [];
  afterEach(async () => {
    await closeSockets();
    await server?.close();
    server = undefined;
    await store?.stop();
    store = undefined;
    for (const dir of dirs) {
      await dropTestDatabase(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    dirs = [];
  });

  it('the data dir is 0700 and every file the server wrote 0600: the database and its -wal/-shm, chunks, the assembled file (ffmpeg output)', async () => {
    // A umask that would leave files world-readable: the server must not rely on it.
    const umask = process.umask(0o022);
    try {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-modes-'));
      dirs.push(parent);
      const dataDir = path.join(parent, 'data');
      server = await startInProcess({ ...INTERACTION_DEFAULTS, dataDir });
      const agent = await connectAgent(server as unknown as TestBackend, 'agent1');
      const { recordingId } = await recordTwoRuns(server as unknown as TestBackend, agent);

      const entries = modesUnder(dataDir);
      const names = entries.map((e) => e.path);
      expect(names).toContain(`recordings/${recordingId}.webm`);
      expect(names.filter((n) => n.startsWith(`recordings/${recordingId}.chunks/`)).length).toBeGreaterThan(2);
      if (!onPostgres()) expect(names).toEqual(expect.arrayContaining(['veildesk.sqlite', 'veildesk.sqlite-wal', 'veildesk.sqlite-shm']));
      const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
      expect(wrong).toEqual([]);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dataDir, 'recordings', `${recordingId}.webm`)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(umask);
    }
  });

  it.each(RECORDING_STORES)('sealed with the at-rest key (%s store): no audio bytes stored; playback whole and by Range gives the exact bytes; a damaged block is a clear error, never garbage', async (kind) => {
    const key = randomBytes(32);
    store = await recordingStore(kind);
    server = await startBackend({ ...INTERACTION_DEFAULTS, ...store.config, recordingsKey: key.toString('base64') });
    const agent = await connectAgent(server, 'agent1');
    const { recordingId, runs } = await recordTwoRuns(server, agent);

    // Stored: chunks and the joined file (no work file left), none holding a WebM header, an Opus header or any 32 bytes of the uploaded audio.
    const names = await store.names(server.dataDir, recordingId);
    expect(names.length).toBe(runs[0]!.length + runs[1]!.length + 1);
    // What the store itself keeps (the recordings folder, or s3rver's folder with its metadata files) holds none either.
    const files = filesUnder(store.root(server.dataDir));
    expect(files.length).toBeGreaterThanOrEqual(names.length);
    const probes = [EBML_MAGIC, OPUS_HEAD, ...runs.flat().map((c) => c.subarray(Math.floor(c.length / 2), Math.floor(c.length / 2) + 32))];
    for (const file of files) for (const probe of probes) expect(fs.readFileSync(file).includes(probe)).toBe(false);
    for (const name of names) {
      const bytes = await store.read(server.dataDir, name);
      expect(bytes.subarray(0, 6).toString('latin1')).toBe('VDSEAL');
      expect(bytes.subarray(8, 16).toString('hex')).toBe(keyId(key));
      for (const probe of probes) expect(bytes.includes(probe)).toBe(false);
    }

    // Playback: one WebM, both runs joined, as if nothing were sealed.
    const whole = await fetchAudio(server.url, recordingId);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const report = inspectWebm(tempFile(whole.data), whole.data);
    expect(report.ebmlHeaders).toBe(1);
    expect(Math.abs(report.decodedSeconds - (FIRST.seconds + SECOND.seconds))).toBeLessThan(0.1);
    expect(whole.data.length).toBeGreaterThan(70_000); // more than one 64 KiB block

    // Ranges across a block boundary, open-ended and from the end map to the right bytes.
    for (const [range, start, end] of [
      ['bytes=100-70000', 100, 70_000],
      ['bytes=65530-65545', 65_530, 65_545],
      [`bytes=${whole.data.length - 10}-`, whole.data.length - 10, whole.data.length - 1],
      ['bytes=-500', whole.data.length - 500, whole.data.length - 1],
    ] as const) {
      const part = await fetchAudio(server.url, recordingId, { range });
      expect(part.status, range).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${whole.data.length}`);
      expect(part.data.equals(whole.data.subarray(start, end + 1)), range).toBe(true);
    }
    const past = await fetchAudio(server.url, recordingId, { range: `bytes=${whole.data.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.data.length}`);

    // One byte of the second block changed in storage: that block is refused with what happened, the first still plays.
    const sealed = await store.read(server.dataDir, `${recordingId}.webm`);
    const inSecondBlock = 36 + (65_536 + 28) + 500;
    sealed[inSecondBlock] = sealed[inSecondBlock]! ^ 0x01;
    await store.write(server.dataDir, `${recordingId}.webm`, sealed);
    const damaged = await fetchAudio(server.url, recordingId, { range: 'bytes=65536-66000' });
    expect(damaged.status).toBe(500);
    const error = JSON.parse(damaged.data.toString()).error;
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(new RegExp(`Recording file ${recordingId}\\.webm is damaged: block 1 failed its integrity check.*restore the file from a backup`));
    const wholeDamaged = await fetchAudio(server.url, recordingId);
    expect(wholeDamaged.status).toBe(500);
    expect(wholeDamaged.data.includes(EBML_MAGIC)).toBe(false);
    const firstBlock = await fetchAudio(server.url, recordingId, { range: 'bytes=0-999' });
    expect(firstBlock.status).toBe(206);
    expect(firstBlock.data.equals(whole.data.subarray(0, 1000))).toBe(true);
  });

  it.each(RECORDING_STORES)('key rotation (%s store): files sealed with the old key still play with it among the old keys; new ones use the new key; without it, a clear error; reseal lets the old key go', { timeout: 90_000 }, async (kind) => {
    store = await recordingStore(kind);
    const s3 = store.config;
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    dirs.push(dataDir);
    server = await startInProcess({ ...INTERACTION_DEFAULTS, ...s3, dataDir, recordingsKey: oldKey.toString('base64') });
    const first = await recordTwoRuns(server as unknown as TestBackend, await connectAgent(server as unknown as TestBackend, 'agent1'));
    const before = await fetchAudio(server.url, first.recordingId);
    await closeSockets();
    await server.close();

    // Rotated: the new key seals, the old one only opens.
    server = await startInProcess({ ...INTERACTION_DEFAULTS, ...s3, dataDir, recordingsKey: newKey.toString('base64'), recordingsOldKeys: [oldKey.toString('base64')] });
    const after = await fetchAudio(server.url, first.recordingId);
    expect(after.status).toBe(200);
    expect(after.data.equals(before.data)).toBe(true);
    const second = await recordTwoRuns(server as unknown as TestBackend, await connectAgent(server as unknown as TestBackend, 'agent2'));
    const newFile = await store.read(dataDir, `${second.recordingId}.webm`);
    expect(newFile.subarray(8, 16).toString('hex')).toBe(keyId(newKey));
    await closeSockets();
    await server.close();

    // The old key dropped too early: the old file is refused and says which key to add back.
    server = await startInProcess({ ...INTERACTION_DEFAULTS, ...s3, dataDir, recordingsKey: newKey.toString('base64') });
    const refused = await fetchAudio(server.url, first.recordingId);
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.data.toString()).error.message).toMatch(new RegExp(`sealed with recordings key ${keyId(oldKey)}.*VEILDESK_RECORDINGS_OLD_KEYS`));
    expect((await fetchAudio(server.url, second.recordingId)).status).toBe(200);
    await closeSockets();
    await server.close();

    // `npm run recordings -- reseal` (server stopped) seals the old files with the new key; then the old key can go.
    // Not execFileSync: s3rver answers from this process, whose event loop must keep running.
    const { stdout: out } = await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['server/cli/recordings.ts', 'reseal'], {
      env: { ...process.env, ...store.env, VEILDESK_DATA_DIR: dataDir, VEILDESK_RECORDINGS_KEY: newKey.toString('base64'), VEILDESK_RECORDINGS_OLD_KEYS: oldKey.toString('base64') },
      encoding: 'utf8',
    });
    const files = async (id: string) => (await store!.names(dataDir, id)).length;
    expect(out).toContain(`Resealed ${await files(first.recordingId)} file(s); ${await files(second.recordingId)} already had the current key.`);
    server = await startInProcess({ ...INTERACTION_DEFAULTS, ...s3, dataDir, recordingsKey: newKey.toString('base64') });
    const resealed = await fetchAudio(server.url, first.recordingId);
    expect(resealed.status).toBe(200);
    expect(resealed.data.equals(before.data)).toBe(true);
  });

  it('a burst of late chunks after the close costs one assembly (one ffmpeg join), not one per chunk', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-int-'));
    dirs.push(dataDir);
    // ffmpeg behind a script that counts the joins it is asked for.
    const log = path.join(dataDir, 'ffmpeg-calls.log');
    const wrapper = path.join(dataDir, 'ffmpeg-counting.sh');
    fs.writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec ffmpeg "$@"\n`, { mode: 0o700 });
    // A long quiet time: only the agent's close (or a read) runs the scheduled assembly here.
    server = await startBackend({ ...INTERACTION_DEFAULTS, ffmpegPath: wrapper, recordingAssemblyDelayMs: 60_000 });
    const agent = await connectAgent(server, 'agent1');
    const { interactionId, recordingId } = await recordedCall(server, agent);
    const runs = [byteChunks(opusWebm(FIRST.hz, 4), 1000), byteChunks(opusWebm(SECOND.hz, 4), 1000)];
    const held = 12; // the last chunks of the second run waited in the app while its link was down
    expect(runs[1]!.length).toBeGreaterThan(held + 2);
    for (const [seq, bytes] of runs[0]!.entries()) await upload(server.url, agent.login.token, recordingId, 0, seq, bytes);
    for (const [seq, bytes] of runs[1]!.slice(0, -held).entries()) await upload(server.url, agent.login.token, recordingId, 1, seq, bytes);
    await endCall(agent, interactionId);
    const joins = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('concat')).length : 0);
    // The server's close at hang-up assembles once.
    await expect.poll(joins, { timeout: 15_000 }).toBe(1);

    const firstLate = runs[1]!.length - held;
    for (let seq = firstLate; seq < runs[1]!.length; seq++) expect((await upload(server.url, agent.login.token, recordingId, 1, seq, runs[1]![seq]!)).body.stored).toBe(true);
    expect(joins()).toBe(1);
    const closed = await api(server.url, `/api/recordings/${recordingId}/close`, {
      token: agent.login.token,
      json: { segments: runs.map((chunks, segment) => ({ segment, lastSeq: chunks.length - 1 })) },
    });
    expect(closed.body).toMatchObject({ missingChunks: 0, assembly: 'joined' });
    const audio = await fetchAudio(server.url, recordingId);
    expect(Math.abs(inspectWebm(tempFile(audio.data), audio.data).decodedSeconds - 8)).toBeLessThan(0.1);
    // 12 late chunks, one join for all of them (besides the one at hang-up); the read found nothing left to do.
    expect(joins()).toBe(2);
  });
});
