import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Request ids are server-made; anything else never reaches the file system. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Where finished export archives live: `<dataDir>/privacy-exports/<requestId>.zip`, the folder
 * private to the server's user (0700), each file 0600. An archive is written under a temp name and
 * renamed into place, so a download never meets a half-written zip.
 */
export class ExportArchives {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'privacy-exports');
  }

  /** The archive's path; throws for an id that is not a plain request id. */
  pathOf(requestId: string): string {
    if (!SAFE_ID.test(requestId)) throw new Error(`privacy: unsafe request id ${JSON.stringify(requestId.slice(0, 80))}`);
    return path.join(this.dir, `${requestId}.zip`);
  }

  /** A fresh temp file beside the archive, opened for writing (0600), and how to put it in place or drop it. */
  async create(requestId: string): Promise<{ stream: fs.WriteStream; commit(): Promise<void>; discard(): Promise<void> }> {
    const target = this.pathOf(requestId);
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode applies only when it creates the folder: make sure an older one is private too.
    await fsp.chmod(this.dir, 0o700);
    const tmp = `${target}.${randomUUID()}.tmp`;
    const stream = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    return {
      stream,
      commit: () => fsp.rename(tmp, target),
      discard: () => fsp.rm(tmp, { force: true }),
    };
  }

  /** The stored archive as a read stream for the download route, or null when there is none. */
  async open(requestId: string): Promise<{ stream: fs.ReadStream; size: number } | null> {
    if (!SAFE_ID.test(requestId)) return null;
    const file = this.pathOf(requestId);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch {
      return null;
    }
    // Size and stream from one open file: a concurrent remove cannot make them disagree.
    const { size } = await handle.stat();
    return { stream: handle.createReadStream(), size };
  }

  async exists(requestId: string): Promise<boolean> {
    if (!SAFE_ID.test(requestId)) return false;
    return fsp.access(this.pathOf(requestId)).then(
      () => true,
      () => false,
    );
  }

  /** Deletes the archive (an erase of the same person, retention); nothing there is fine. */
  async remove(requestId: string): Promise<void> {
    if (!SAFE_ID.test(requestId)) return;
    await fsp.rm(this.pathOf(requestId), { force: true });
  }
}
