import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RecordingStorage } from './recording-storage';

/** Recording ids are server-made UUIDs; anything else never reaches the file system. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Recordings on local disk under `<root>` (VEILDESK_DATA_DIR/recordings): `<id>.chunks/<seq>` for the
 * uploaded chunks and `<id>.webm` for the assembled file. Every write goes to a temp file that is
 * renamed into place, so a crash never leaves a half-written chunk or recording behind.
 */
export class DiskRecordingStorage implements RecordingStorage {
  constructor(readonly root: string) {}

  audioPath(recordingId: string): string {
    return path.join(this.root, `${checkId(recordingId)}.webm`);
  }

  private chunkDir(recordingId: string): string {
    return path.join(this.root, `${checkId(recordingId)}.chunks`);
  }

  private chunkPath(recordingId: string, seq: number): string {
    return path.join(this.chunkDir(recordingId), String(seq).padStart(7, '0'));
  }

  async putChunk(recordingId: string, seq: number, data: Buffer): Promise<void> {
    const dir = this.chunkDir(recordingId);
    await fsp.mkdir(dir, { recursive: true });
    await writeAtomically(this.chunkPath(recordingId, seq), async (tmp) => fsp.writeFile(tmp, data, { mode: 0o600 }));
  }

  async assemble(recordingId: string, seqs: readonly number[]): Promise<number> {
    await fsp.mkdir(this.root, { recursive: true });
    const target = this.audioPath(recordingId);
    await writeAtomically(target, async (tmp) => {
      const out = fs.createWriteStream(tmp, { mode: 0o600 });
      async function* chunks(paths: string[]) {
        for (const p of paths) yield await fsp.readFile(p);
      }
      await pipeline(chunks(seqs.map((seq) => this.chunkPath(recordingId, seq))), out);
    });
    return (await fsp.stat(target)).size;
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
