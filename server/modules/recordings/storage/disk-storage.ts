import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../../kernel/errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../../kernel/private-files';
import type { WebmJoiner } from './ffmpeg-joiner';
import { KeyRing } from './key-ring';
import type { AssemblyResult, RecordingStorage, ResealReport, SegmentChunks, StoredAudio } from './recording-storage';
import { isSealed, NO_CURRENT_KEY, openSealed, readSealed, SealedFileError, sealer, type SealedReader } from './sealed-file';
import { joinSegments } from './segment-join';
import { checkRecordingId, chunkName, planSegments, SAFE_RECORDING_ID } from './segment-plan';

/**
 * Recordings on local disk under `<root>` (VEILDESK_DATA_DIR/recordings): `<id>.chunks/<seq>` for the
 * chunks of segment 0 (the name they had before segments), `<id>.chunks/<segment>-<seq>` for later
 * segments, and `<id>.webm` for the assembled file. Several segments are joined with `joiner`
 * (ffmpeg) in `<id>.assembling/`. Every write goes to a temp file that is renamed into place, so a
 * crash never leaves a half-written chunk or recording behind. Folders are 0700 and files 0600
 * (ffmpeg's output too). With a current key in `keys`, every file is sealed (sealed-file.ts); files
 * stored before that (plain) or with an older key stay readable.
 */
export class DiskRecordingStorage implements RecordingStorage {
  constructor(
    readonly root: string,
    private readonly joiner: WebmJoiner | null = null,
    private readonly keys: KeyRing = new KeyRing(null),
  ) {}

  audioPath(recordingId: string): string {
    return path.join(this.root, `${checkRecordingId(recordingId)}.webm`);
  }

  private chunkDir(recordingId: string): string {
    return path.join(this.root, `${checkRecordingId(recordingId)}.chunks`);
  }

  private chunkPath(recordingId: string, segment: number, seq: number): string {
    return path.join(this.chunkDir(recordingId), chunkName(segment, seq));
  }

  async putChunk(recordingId: string, segment: number, seq: number, data: Buffer): Promise<void> {
    await ensurePrivateDir(this.root);
    await ensurePrivateDir(this.chunkDir(recordingId));
    const name = `${recordingId}.chunks/${chunkName(segment, seq)}`;
    await writeAtomically(this.chunkPath(recordingId, segment, seq), (tmp) => this.write(tmp, name, Readable.from([data])));
  }

  /** Writes bytes to `file` (0600): sealed under the current key when there is one. */
  private async write(file: string, name: string, source: Readable | AsyncIterable<Buffer>): Promise<void> {
    const out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE, flags: 'wx' });
    const key = this.keys.current;
    if (key) await pipeline(source, sealer(key, name), out);
    else await pipeline(source, out);
  }

  private async readChunk(recordingId: string, segment: number, seq: number): Promise<Buffer> {
    const file = this.chunkPath(recordingId, segment, seq);
    if (!(await isSealed(file))) return fsp.readFile(file);
    return readSealed(file, this.keys, `${recordingId}.chunks/${chunkName(segment, seq)}`).catch((err: unknown) => {
      throw asDomain(err);
    });
  }

  /** The chunks of the segments, in order, back to back, as plain bytes. */
  private async *plainChunks(recordingId: string, segments: readonly SegmentChunks[]): AsyncGenerator<Buffer> {
    for (const s of segments) for (const seq of s.seqs) yield await this.readChunk(recordingId, s.segment, seq);
  }

  async assemble(recordingId: string, segments: readonly SegmentChunks[]): Promise<AssemblyResult> {
    await ensurePrivateDir(this.root);
    const target = this.audioPath(recordingId);
    const name = `${recordingId}.webm`;
    const { present, usable, leftOut } = planSegments(segments);
    if (usable.length <= 1) {
      const only = usable.length === 1 ? usable : present.slice(0, 1);
      await writeAtomically(target, (tmp) => this.write(tmp, name, this.plainChunks(recordingId, only)));
      return { bytes: await this.audioBytes(recordingId), assembly: 'single', note: leftOut };
    }
    const joined = await this.join(recordingId, usable, target);
    if (joined.ok) return { bytes: await this.audioBytes(recordingId), assembly: 'joined', note: leftOut };
    // Nothing is lost: the segments back to back (ffmpeg decodes all of them; browsers may stop after the first).
    await writeAtomically(target, (tmp) => this.write(tmp, name, this.plainChunks(recordingId, present)));
    return { bytes: await this.audioBytes(recordingId), assembly: 'unjoined', note: [joined.reason, leftOut].filter(Boolean).join('; ') };
  }

  private async audioBytes(recordingId: string): Promise<number> {
    const audio = await this.openAudio(recordingId);
    return audio?.size ?? 0;
  }

  /**
   * Each segment as its own plain file in a private work directory (0700; ffmpeg reads plain
   * WebM), then one WebM from all of them, made 0600 and sealed into place; the work directory
   * goes at once.
   */
  private async join(recordingId: string, segments: readonly SegmentChunks[], target: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const work = path.join(this.root, `${checkRecordingId(recordingId)}.assembling`);
    await fsp.rm(work, { recursive: true, force: true });
    await ensurePrivateDir(work);
    try {
      const joined = await joinSegments(work, segments, (segment) => this.plainChunks(recordingId, [segment]), this.joiner);
      if (!joined.ok) return joined;
      if (this.keys.current) await writeAtomically(target, (tmp) => this.write(tmp, `${recordingId}.webm`, fs.createReadStream(joined.output)));
      else await fsp.rename(joined.output, target);
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Key rotation's last step (`npm run recordings -- reseal`, server stopped): every file not sealed
   * with the current key (plain, or sealed with an older key of the ring) is opened, checked and
   * sealed again with the current one, each replaced atomically. A file that fails its check is
   * left as it is and reported. Afterwards the older keys can be dropped.
   */
  async resealAll(): Promise<ResealReport> {
    const key = this.keys.current;
    if (!key) throw new Error(NO_CURRENT_KEY);
    const report: ResealReport = { resealed: 0, current: 0, failed: [] };
    const names: string[] = [];
    for (const entry of await fsp.readdir(this.root).catch(() => [] as string[])) {
      const id = entry.replace(/\.(webm|chunks)$/, '');
      if (!SAFE_RECORDING_ID.test(id) || entry.endsWith('.tmp')) continue;
      if (entry.endsWith('.webm')) names.push(entry);
      if (entry.endsWith('.chunks')) for (const chunk of await fsp.readdir(path.join(this.root, entry))) if (!chunk.endsWith('.tmp')) names.push(`${entry}/${chunk}`);
    }
    for (const name of names) {
      const file = path.join(this.root, name);
      try {
        if (await isSealed(file)) {
          const reader = await openSealed(file, this.keys, name);
          if (reader.keyId === key.id) {
            report.current += 1;
            continue;
          }
        }
        const plain = (await isSealed(file)) ? await readSealed(file, this.keys, name) : await fsp.readFile(file);
        await writeAtomically(file, (tmp) => this.write(tmp, name, Readable.from([plain])));
        report.resealed += 1;
      } catch (err) {
        report.failed.push({ file: name, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    return report;
  }

  async remove(recordingId: string): Promise<void> {
    const base = path.join(this.root, checkRecordingId(recordingId));
    for (const suffix of ['.chunks', '.assembling', '.webm']) await fsp.rm(`${base}${suffix}`, { recursive: true, force: true });
  }

  async openAudio(recordingId: string): Promise<StoredAudio | null> {
    const file = this.audioPath(recordingId);
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch {
      return null;
    }
    if (!(await isSealed(file))) {
      return {
        size,
        stream: (start = 0, end = size - 1) => fs.createReadStream(file, { start, end: Math.max(start, end) }),
        verify: async () => undefined,
      };
    }
    return sealedAudio(
      await openSealed(file, this.keys, `${recordingId}.webm`).catch((err: unknown) => {
        throw asDomain(err);
      }),
    );
  }
}

/** A sealed recording as playable audio (disk or object storage): its blocks' failures become clear refusals. */
export function sealedAudio(reader: SealedReader): StoredAudio {
  const read = (start: number, end: number) =>
    (async function* () {
      try {
        yield* reader.read(start, end);
      } catch (err) {
        throw asDomain(err);
      }
    })();
  return {
    size: reader.size,
    stream: (start = 0, end = reader.size - 1) => Readable.from(read(start, end)),
    verify: async (start, end) => {
      for await (const part of read(start, end)) void part;
    },
  };
}

/** A sealed file that fails its check (or whose key is missing) is a clear refusal, never garbage. */
export function asDomain(err: unknown): unknown {
  return err instanceof SealedFileError ? new DomainError('damaged', `Recording file ${err.message}`) : err;
}

async function writeAtomically(target: string, write: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = `${target}.${randomUUID()}.tmp`;
  try {
    await write(tmp);
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}
