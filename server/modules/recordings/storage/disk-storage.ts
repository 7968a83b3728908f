import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { WebmJoiner } from './ffmpeg-joiner';
import type { AssemblyResult, RecordingStorage, SegmentChunks } from './recording-storage';

/** Recording ids are server-made UUIDs; anything else never reaches the file system. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Recordings on local disk under `<root>` (VEILDESK_DATA_DIR/recordings): `<id>.chunks/<seq>` for the
 * chunks of segment 0 (the name they had before segments), `<id>.chunks/<segment>-<seq>` for later
 * segments, and `<id>.webm` for the assembled file. Several segments are joined with `joiner`
 * (ffmpeg) in `<id>.assembling/`. Every write goes to a temp file that is renamed into place, so a
 * crash never leaves a half-written chunk or recording behind.
 */
export class DiskRecordingStorage implements RecordingStorage {
  constructor(
    readonly root: string,
    private readonly joiner: WebmJoiner | null = null,
  ) {}

  audioPath(recordingId: string): string {
    return path.join(this.root, `${checkId(recordingId)}.webm`);
  }

  private chunkDir(recordingId: string): string {
    return path.join(this.root, `${checkId(recordingId)}.chunks`);
  }

  private chunkPath(recordingId: string, segment: number, seq: number): string {
    const name = String(seq).padStart(7, '0');
    return path.join(this.chunkDir(recordingId), segment === 0 ? name : `${segment}-${name}`);
  }

  async putChunk(recordingId: string, segment: number, seq: number, data: Buffer): Promise<void> {
    const dir = this.chunkDir(recordingId);
    await fsp.mkdir(dir, { recursive: true });
    await writeAtomically(this.chunkPath(recordingId, segment, seq), async (tmp) => fsp.writeFile(tmp, data, { mode: 0o600 }));
  }

  /** Writes the chunks of the segments, in order, back to back into `file`. */
  private async concatenate(recordingId: string, segments: readonly SegmentChunks[], file: string): Promise<void> {
    const paths = segments.flatMap((s) => s.seqs.map((seq) => this.chunkPath(recordingId, s.segment, seq)));
    async function* chunks() {
      for (const p of paths) yield await fsp.readFile(p);
    }
    await pipeline(chunks(), fs.createWriteStream(file, { mode: 0o600 }));
  }

  async assemble(recordingId: string, segments: readonly SegmentChunks[]): Promise<AssemblyResult> {
    await fsp.mkdir(this.root, { recursive: true });
    const target = this.audioPath(recordingId);
    const present = segments.filter((s) => s.seqs.length > 0);
    // A segment's first chunk carries its WebM header; without it the rest cannot be decoded.
    const headless = present.filter((s) => s.seqs[0] !== 0);
    const usable = present.filter((s) => s.seqs[0] === 0);
    const leftOut = headless.length > 0 ? `segment(s) ${headless.map((s) => s.segment).join(', ')} left out: the first chunk (the WebM header) never arrived` : null;
    if (usable.length <= 1) {
      const only = usable.length === 1 ? usable : present.slice(0, 1);
      await writeAtomically(target, (tmp) => this.concatenate(recordingId, only, tmp));
      return { bytes: (await fsp.stat(target)).size, assembly: 'single', note: leftOut };
    }
    const joined = await this.join(recordingId, usable, target);
    if (joined.ok) return { bytes: (await fsp.stat(target)).size, assembly: 'joined', note: leftOut };
    // Nothing is lost: the segments back to back (ffmpeg decodes all of them; browsers may stop after the first).
    await writeAtomically(target, (tmp) => this.concatenate(recordingId, present, tmp));
    return { bytes: (await fsp.stat(target)).size, assembly: 'unjoined', note: [joined.reason, leftOut].filter(Boolean).join('; ') };
  }

  /** Each segment as its own file in a work directory, then one WebM from all of them. */
  private async join(recordingId: string, segments: readonly SegmentChunks[], target: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (!this.joiner) return { ok: false, reason: 'segments cannot be joined: this server has no joiner (ffmpeg) configured' };
    const available = await this.joiner.available();
    if (!available.ok) return { ok: false, reason: `segments not joined: ${available.reason}; the server joins them at its next start` };
    const work = path.join(this.root, `${checkId(recordingId)}.assembling`);
    await fsp.rm(work, { recursive: true, force: true });
    await fsp.mkdir(work, { recursive: true });
    try {
      const inputs: string[] = [];
      for (const segment of segments) {
        const file = path.join(work, `segment-${segment.segment}.webm`);
        await this.concatenate(recordingId, [segment], file);
        inputs.push(file);
      }
      await writeAtomically(target, (tmp) => this.joiner!.join(inputs, tmp));
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? err.message : String(err) };
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  }

  async remove(recordingId: string): Promise<void> {
    const base = path.join(this.root, checkId(recordingId));
    for (const suffix of ['.chunks', '.assembling', '.webm']) await fsp.rm(`${base}${suffix}`, { recursive: true, force: true });
  }

  async openAudio(recordingId: string): Promise<{ stream: fs.ReadStream; size: number } | null> {
    const file = this.audioPath(recordingId);
    try {
      const { size } = await fsp.stat(file);
      return { stream: fs.createReadStream(file), size };
    } catch {
      return null;
    }
  }
}

function checkId(id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`recordings: unsafe recording id ${JSON.stringify(id.slice(0, 80))}`);
  return id;
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
