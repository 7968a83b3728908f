import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportArchives } from '../../server/modules/privacy/export/export-archives';
import type { ExportManifest } from '../../server/modules/privacy/export/manifest';
import { PrivacyExporter } from '../../server/modules/privacy/export/privacy-exporter';
import { RecordingAssembly } from '../../server/modules/recordings/recording-assembly';
import { RecordingsRepo } from '../../server/modules/recordings/recordings-repo';
import { createRecordingStorage } from '../../server/modules/recordings/storage/create-storage';
import { DiskRecordingStorage } from '../../server/modules/recordings/storage/disk-storage';
import { recordingStore, type RecordingStoreKind, type RecordingStoreUnderTest } from '../support/recording-stores';
import { byteChunks, inspectWebm, opusWebm } from '../support/recording-webm';
import { nextFrame, type TestBackend } from './helpers';
import { connectAgent, startInteractionsBackend } from './interactions-support';
import { chat, executorContext, readZip, recordedCall, resultOf } from './privacy-export-support';
import { mutationId, pushOne } from './sync-support';

/** The exporter reading the server's own recordings store (disk, or its bucket). */
function exporterFor(server: TestBackend): { exporter: PrivacyExporter; archives: ExportArchives } {
  const archives = new ExportArchives(server.dataDir);
  return { archives, exporter: new PrivacyExporter({ db: server.db, archives, audio: createRecordingStorage(server.config, null) }) };
}

type CountedTable = 'messages' | 'sync_notes' | 'timeline' | 'offers' | 'consults' | 'recordings' | 'recording_pauses';
async function countFor(server: TestBackend, table: CountedTable, ids: readonly string[]): Promise<number> {
  const row = await server.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('interaction_id', 'in', [...ids])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const ALEX = { name: 'Alex Exportson', email: 'alex.exportson@example.com' };
const BEA = { name: 'Bea Bystander', email: 'bea.bystander@example.net' };

describe('privacy export archive (issue 14)', () => {
  let server: TestBackend;
  let store: RecordingStoreUnderTest | undefined;
  const workDirs: string[] = [];
  afterEach(async () => {
    await server?.close();
    await store?.stop();
    store = undefined;
    for (const dir of workDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The whole export of one customer, on the disk store or the S3 store (the two tests below). */
  async function exportsEveryItem(kind: RecordingStoreKind): Promise<void> {
    store = await recordingStore(kind);
    server = await startInteractionsBackend(store.config);
    const agent1 = await connectAgent(server, 'agent1');
    const agent2 = await connectAgent(server, 'agent2');
    // agent2 busy: the first chat and the call are offered to agent1.
    agent2.ws.send({ type: 'presence.set', presence: 'busy' });
    await nextFrame(agent2.ws, (f) => f.type === 'presence.self' && f.presence === 'busy');
    const chat1 = await chat(server, agent1, ALEX, ['Hello, my parcel is late', 'Sorry to hear that, Alex', 'Order 5531, thank you'], 'Parcel resent to Alex', 'Alex prefers e-mail');
    const audio = opusWebm(440, 3);
    const call = await recordedCall(server, agent1, ALEX, byteChunks(audio, 16 * 1024), 'Called about the parcel');
    await pushOne(server.url, agent1.login.token, { mutationId: mutationId('note'), type: 'note.create', noteId: 'call-note', interactionId: call.interactionId, text: 'Voice was clear' });
    // The second chat with the other agent; and a second customer who must not appear.
    agent1.ws.send({ type: 'presence.set', presence: 'busy' });
    await nextFrame(agent1.ws, (f) => f.type === 'presence.self' && f.presence === 'busy');
    agent2.ws.send({ type: 'presence.set', presence: 'available' });
    await nextFrame(agent2.ws, (f) => f.type === 'presence.self' && f.presence === 'available');
    const chat2 = await chat(server, agent2, ALEX, ['It arrived, thanks!', 'Glad to hear it'], 'Closed happily', 'Delivered after all');
    const other = await chat(server, agent2, BEA, ['Bea here with a secret tangerine question', 'Answering Bea'], 'Bea wrap-up mandarin', 'Bea note kumquat');

    const ids = [chat1, call.interactionId, chat2];
    const { exporter, archives } = exporterFor(server);
    const ctx = executorContext(ids);
    const results = await exporter.run(ctx);
    expect(ctx.reported.at(0)).toEqual([0, 3]);
    expect(ctx.reported.at(-1)).toEqual([3, 3]);

    // The file: private, where the download route finds it, no temp files left behind.
    const file = archives.pathOf(ctx.requestId);
    expect(file).toBe(path.join(server.dataDir, 'privacy-exports', `${ctx.requestId}.zip`));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(archives.dir).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(archives.dir)).toEqual([`${ctx.requestId}.zip`]);
    const opened = await archives.open(ctx.requestId);
    expect(opened?.size).toBe(fs.statSync(file).size);
    opened!.stream.destroy();
    expect(await archives.open('../etc/passwd')).toBeNull();
    expect(await archives.open('no-such-request')).toBeNull();

    // Read back with an independent zip reader: every entry is in the manifest and its checksum and size match.
    const entries = await readZip(file, (name) => !name.endsWith('.webm'));
    const manifest = JSON.parse(entries.get('manifest.json')!.data!.toString('utf8')) as ExportManifest;
    expect(manifest).toMatchObject({ format: 'veildesk-privacy-export', version: 1, requestId: ctx.requestId, interactionIds: ids, missing: [] });
    expect(new Set([...entries.keys()])).toEqual(new Set(['manifest.json', ...manifest.items.map((i) => i.path)]));
    for (const item of manifest.items) {
      const entry = entries.get(item.path)!;
      expect(entry.sha256, item.path).toBe(item.sha256);
      expect(entry.uncompressedSize, item.path).toBe(item.bytes);
    }
    for (const id of ids) {
      const kinds = manifest.items.filter((i) => i.interactionId === id).map((i) => i.kind);
      expect(kinds, id).toEqual(expect.arrayContaining(['interaction', 'transcript', 'transcript-text', 'notes', 'wrapup', 'timeline', 'offers']));
    }

    // Per-store counts equal what the database holds for these interactions, and the executor's results agree.
    const expected = {
      interactions: 3,
      messages: await countFor(server, 'messages', ids),
      sync_notes: await countFor(server, 'sync_notes', ids),
      wrapups: 3,
      timeline: await countFor(server, 'timeline', ids),
      offers: await countFor(server, 'offers', ids),
      consults: await countFor(server, 'consults', ids),
      recordings: await countFor(server, 'recordings', ids),
      recording_pauses: await countFor(server, 'recording_pauses', ids),
      'recordings/files': 1,
    };
    expect(expected).toMatchObject({ messages: 5, sync_notes: 3, offers: 3, recordings: 1, recording_pauses: 1 });
    expect(manifest.counts).toEqual(expected);
    for (const [store, n] of Object.entries(expected)) expect(resultOf(results, store), store).toEqual({ store, found: n, done: n });

    // Transcripts: JSON with every message, and text a person reads (time, who, what).
    const transcript = JSON.parse(entries.get(`interactions/${chat1}/transcript.json`)!.data!.toString('utf8'));
    expect(transcript.messages.map((m: { text: string }) => m.text)).toEqual(['Hello, my parcel is late', 'Sorry to hear that, Alex', 'Order 5531, thank you']);
    const text = entries.get(`interactions/${chat1}/transcript.txt`)!.data!.toString('utf8');
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] Alex Exportson \(you\): Hello, my parcel is late$/m);
    expect(text).toMatch(/^\[[^\]]+\] Ada Agent \(agent\): Sorry to hear that, Alex$/m);
    const summary = JSON.parse(entries.get(`interactions/${call.interactionId}/interaction.json`)!.data!.toString('utf8'));
    expect(summary).toMatchObject({ kind: 'call', customer: ALEX, recordings: [{ id: call.recordingId }], recordingPauses: [{ startedAt: expect.any(String) }] });
    expect(JSON.parse(entries.get(`interactions/${chat2}/wrapup.json`)!.data!.toString('utf8'))).toMatchObject({ disposition: 'Resolved', notes: 'Closed happily', by: 'agent2' });
    expect(JSON.parse(entries.get(`interactions/${chat2}/notes.json`)!.data!.toString('utf8')).notes).toMatchObject([{ text: 'Delivered after all', by: 'Ben Agent' }]);
    const timeline = JSON.parse(entries.get(`interactions/${chat1}/timeline.json`)!.data!.toString('utf8'));
    expect(timeline.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['queued', 'answered', 'ended']));

    // The recording: the very bytes uploaded, and it decodes.
    const recordingItem = manifest.items.find((i) => i.kind === 'recording')!;
    expect(recordingItem).toMatchObject({ id: call.recordingId, interactionId: call.interactionId, bytes: audio.length, path: `interactions/${call.interactionId}/recordings/${call.recordingId}.webm` });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-export-'));
    workDirs.push(work);
    execFileSync('unzip', ['-q', file, recordingItem.path, '-d', work]);
    const extracted = path.join(work, recordingItem.path);
    const bytes = fs.readFileSync(extracted);
    expect(bytes.equals(audio)).toBe(true);
    expect(inspectWebm(extracted, bytes).decodedSeconds).toBeGreaterThan(2.5);

    // Nothing of the other customer, and no credential, anywhere in the archive.
    const all = [...(await readZip(file)).values()].map((e) => e.data!.toString('latin1')).join('\n');
    const k = server.db.kysely;
    const secrets = [
      ...(await k.selectFrom('users').select('password_hash').execute()).map((r) => r.password_hash),
      ...(await k.selectFrom('sessions').select('token_hash').execute()).map((r) => r.token_hash),
      ...(await k.selectFrom('interactions').select('customer_token_hash').execute()).flatMap((r) => (r.customer_token_hash ? [r.customer_token_hash] : [])),
      agent1.login.token,
      agent2.login.token,
    ];
    expect(secrets.length).toBeGreaterThan(8);
    for (const leaked of [other, BEA.name, BEA.email, 'tangerine', 'mandarin', 'kumquat', ...secrets]) expect(all, leaked).not.toContain(leaked);
  }

  it("holds every item of one customer (two chats with two agents, a recorded call, notes, wrap-ups), checksummed, readable, decodable, private, and nothing of another customer's (disk store)", () => exportsEveryItem('disk'));

  it('streams: recordings of about 50 MB are exported while memory grows by a small fraction of that', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    // 50 chunks of 1 MB (the largest a chunk may be) of incompressible bytes: one buffer sent 50 times,
    // so the test itself holds 1 MB, not 50.
    const chunk = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < chunk.length; at += 4) chunk.writeUInt32LE(Math.imul(at + 1, 2654435761) >>> 0, at);
    const first = await recordedCall(server, agent, ALEX, Array.from({ length: 25 }, () => chunk), 'first big call');
    const second = await recordedCall(server, agent, ALEX, Array.from({ length: 25 }, () => chunk), 'second big call');
    // The recordings' files, counting what the export reads of them.
    const storage = new DiskRecordingStorage(path.join(server.dataDir, 'recordings'));
    let read = 0;
    const audio = {
      openAudio: async (id: string) => {
        const opened = await storage.openAudio(id);
        if (!opened) return null;
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            read += chunk.length;
            callback(null, chunk);
          },
        });
        return { ...opened, stream: () => opened.stream().pipe(counted) };
      },
    };
    const archives = new ExportArchives(server.dataDir);
    const exporter = new PrivacyExporter({ db: server.db, archives, audio });
    const ctx = executorContext([first.interactionId, second.interactionId]);

    const before = process.memoryUsage().rss;
    const peak = { rss: before, inFlight: 0, samples: 0 };
    const measure = () => {
      // What was read from the recordings but is not in the archive file yet: held in memory.
      const tmp = fs.existsSync(archives.dir) ? fs.readdirSync(archives.dir).find((f) => f.endsWith('.tmp')) : undefined;
      const written = tmp ? fs.statSync(path.join(archives.dir, tmp), { throwIfNoEntry: false })?.size : undefined;
      // Once the archive is renamed into place everything read is written.
      if (written !== undefined) {
        peak.inFlight = Math.max(peak.inFlight, read - written);
        peak.samples += 1;
      }
      peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
    };
    const sample = setInterval(measure, 2);
    const results = await exporter.run(ctx).finally(() => clearInterval(sample));
    measure();

    const MB = 1024 * 1024;
    const growth = { rssMB: (peak.rss - before) / MB, inFlightMB: peak.inFlight / MB };
    expect(read).toBe(50 * MB);
    expect(peak.samples, 'samples taken while the archive was written').toBeGreaterThan(5);
    // A few stream buffers at any time, never a recording (25 MB) or the archive (50 MB).
    expect(growth.inFlightMB, JSON.stringify(growth)).toBeLessThan(2);
    expect(growth.rssMB, JSON.stringify(growth)).toBeLessThan(16);
    expect(resultOf(results, 'recordings/files')).toEqual({ store: 'recordings/files', found: 2, done: 2 });

    // The 50 MB are really in the archive, intact.
    const file = archives.pathOf(ctx.requestId);
    expect(fs.statSync(file).size).toBeGreaterThan(50 * MB);
    const entries = await readZip(file, (name) => name === 'manifest.json');
    const manifest = JSON.parse(entries.get('manifest.json')!.data!.toString('utf8')) as ExportManifest;
    const recordings = manifest.items.filter((i) => i.kind === 'recording');
    expect(recordings.map((r) => r.bytes)).toEqual([25 * MB, 25 * MB]);
    for (const r of recordings) expect(entries.get(r.path)!.sha256).toBe(r.sha256);
  });
  it('assembles a closed recording whose file was never made before exporting it; a failure midway leaves no archive behind', async () => {
    server = await startInteractionsBackend();
    const agent = await connectAgent(server, 'agent1');
    const audio = opusWebm(660, 2);
    const call = await recordedCall(server, agent, ALEX, byteChunks(audio, 8 * 1024), 'short call');
    // As a server that stopped before assembling leaves it: chunks stored, no file.
    const storage = new DiskRecordingStorage(path.join(server.dataDir, 'recordings'));
    fs.rmSync(storage.audioPath(call.recordingId));
    await server.db.kysely.updateTable('recordings').set({ assembled_bytes: null, assembly: null }).where('id', '=', call.recordingId).execute();
    const archives = new ExportArchives(server.dataDir);

    const without = await new PrivacyExporter({ db: server.db, archives, audio: storage }).run(executorContext([call.interactionId]));
    expect(resultOf(without, 'recordings/files')).toEqual({ store: 'recordings/files', found: 1, done: 0, note: expect.stringMatching(/never assembled/) });

    const assembly = new RecordingAssembly({ repo: new RecordingsRepo(server.db), storage });
    const ctx = executorContext([call.interactionId]);
    const results = await new PrivacyExporter({ db: server.db, archives, audio: storage, assemble: (id) => assembly.assembleNow(id) }).run(ctx);
    expect(resultOf(results, 'recordings/files')).toEqual({ store: 'recordings/files', found: 1, done: 1 });
    const entries = await readZip(archives.pathOf(ctx.requestId));
    const manifest = JSON.parse(entries.get('manifest.json')!.data!.toString('utf8')) as ExportManifest;
    const item = manifest.items.find((i) => i.kind === 'recording')!;
    expect(entries.get(item.path)!.data!.equals(audio)).toBe(true);
    expect(manifest.missing).toEqual([]);

    // A recording that cannot be read to its end: the request fails and no file is left, not even a partial one.
    const files = fs.readdirSync(archives.dir).sort();
    const failing = {
      openAudio: async (id: string) => {
        const opened = await storage.openAudio(id);
        let seen = 0;
        const breaking = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            seen += chunk.length;
            callback(seen > 4096 ? new Error('disk read failed') : null, chunk);
          },
        });
        return opened && { ...opened, stream: () => opened.stream().pipe(breaking) };
      },
    };
    const broken = executorContext([call.interactionId]);
    await expect(new PrivacyExporter({ db: server.db, archives, audio: failing }).run(broken)).rejects.toThrow(/disk read failed/);
    expect(fs.readdirSync(archives.dir).sort()).toEqual(files);
    expect(await archives.open(broken.requestId)).toBeNull();
  });

  // Last: the memory measure of the streaming test is taken without the S3 run (SDK, s3rver) before it.
  it("holds every item of one customer (two chats with two agents, a recorded call, notes, wrap-ups), checksummed, readable, decodable, private, and nothing of another customer's (s3 store)", () => exportsEveryItem('s3'));
});
