import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export interface WrittenEntry {
  path: string;
  /** Uncompressed size. */
  bytes: number;
  /** Hex SHA-256 of the uncompressed content. */
  sha256: string;
}

/**
 * A zip written as it is made (yazl): entries are added one after the other, each from a stream
 * that is read only as fast as the file is written, so neither an entry nor the archive is ever
 * held in memory. Each entry's size and SHA-256 are measured on the way through, for the manifest.
 */
export class ZipSink {
  private readonly zip = new yazl.ZipFile();
  private readonly written: Promise<void>;
  private failure: Error | null = null;
  /** Rejects with the first failure of the zip or of the output (a full disk, a closed file). */
  private readonly failed: Promise<never>;
  /** The entry being written: closed (its file with it) when the archive is aborted. */
  private current: Readable | null = null;

  constructor(
    output: Writable,
    private readonly mtime: Date,
  ) {
    let fail: (err: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => {
      fail = (err) => {
        this.failure ??= err;
        reject(err);
      };
    });
    // Only ever awaited through race(): a rejection here is reported there.
    this.failed.catch(() => undefined);
    this.zip.on('error', fail);
    this.written = pipeline(this.zip.outputStream as NodeJS.ReadableStream & Readable, output);
    this.written.catch(fail);
  }

  /**
   * Adds one entry from `source` and resolves once it is all in the archive. `compress: false` for
   * content that does not shrink (audio).
   */
  async add(path: string, source: Readable | AsyncIterable<Buffer> | Iterable<Buffer>, opts: { compress?: boolean } = {}): Promise<WrittenEntry> {
    if (this.failure) throw this.failure;
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        bytes += chunk.length;
        callback(null, chunk);
      },
    });
    const ended = once(meter, 'end');
    this.zip.addReadStream(meter, path, { compress: opts.compress ?? true, mtime: this.mtime });
    const readable = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
    this.current = readable;
    await this.race(Promise.all([pipeline(readable, meter), ended]));
    this.current = null;
    return { path, bytes, sha256: hash.digest('hex') };
  }

  /** Adds a small entry made in memory (the manifest). */
  async addBuffer(path: string, data: Buffer): Promise<WrittenEntry> {
    if (this.failure) throw this.failure;
    this.zip.addBuffer(data, path, { compress: true, mtime: this.mtime });
    return { path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }

  /** Writes the central directory and resolves once every byte reached the output. */
  async finish(): Promise<void> {
    this.zip.end();
    await this.race(this.written);
  }

  /** Stops writing (after a failure): the output is closed, the caller removes the file. */
  abort(): void {
    this.current?.destroy();
    (this.zip.outputStream as Readable).destroy();
  }

  private race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.failed]);
  }
}
