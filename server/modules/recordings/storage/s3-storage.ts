import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../../../config';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../../kernel/private-files';
import { asDomain, sealedAudio } from './disk-storage';
import type { WebmJoiner } from './ffmpeg-joiner';
import { KeyRing } from './key-ring';
import type { AssemblyResult, RecordingStorage, ResealReport, SegmentChunks, StoredAudio } from './recording-storage';
import { bufferSource, hasSealedMagic, NO_CURRENT_KEY, openSealedSource, sealBytes, sealer, type RangedSource } from './sealed-file';
import { joinSegments } from './segment-join';
import { checkRecordingId, chunkName, planSegments, SAFE_RECORDING_ID } from './segment-plan';

/** Every object of this store lives under this prefix of the bucket. */
const PREFIX = 'recordings/';

/**
 * The S3 client for a configured bucket. Checksums only where an operation requires one: the SDK's
 * default (a CRC32 trailer in aws-chunked uploads) is not understood by several S3-compatible
 * servers (s3rver stored the chunk framing as part of the object); sealed files carry their own
 * AES-GCM tags, and the quota of one recording is far below S3's single-PUT limit of 5 GiB.
 */
export function s3Client(config: S3Config): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that stops answering fails the request (and the chunk upload is retried by the app) rather than holding a recording's queue.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  });
}

/**
 * Recordings as objects in an S3-compatible bucket, named like the disk store's files so a copy of
 * `<dataDir>/recordings/` into `recordings/` of the bucket is the same store (sealed files bind
 * their name): `recordings/<id>.chunks/<seq>` (segment 0), `recordings/<id>.chunks/<segment>-<seq>`,
 * `recordings/<id>.webm`. Keys hold server-made ids only, never personal data; objects are put
 * without an ACL (private to the bucket's owner). Assembly fetches the chunks into a private work
 * folder (0700, files 0600) under `workRoot`, runs ffmpeg there when segments must be joined,
 * uploads the result and removes the folder. Playback reads by Range: with sealing only the blocks
 * of the asked range are fetched, in one ranged GET.
 */
export class S3RecordingStorage implements RecordingStorage {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly workRoot: string,
    private readonly joiner: WebmJoiner | null = null,
    private readonly keys: KeyRing = new KeyRing(null),
  ) {}

  private objectKey(name: string): string {
    return `${PREFIX}${name}`;
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw new Error(
        `Recordings storage: the bucket ${this.bucket} cannot be reached (${describeError(err)}). Check VEILDESK_S3_ENDPOINT, VEILDESK_S3_REGION, VEILDESK_S3_BUCKET and the credentials, and that the bucket exists (docs/operations.md, "Object storage").`,
        { cause: err },
      );
    }
  }

  close(): void {
    this.client.destroy();
  }

  async putChunk(recordingId: string, segment: number, seq: number, data: Buffer): Promise<void> {
    const name = `${checkRecordingId(recordingId)}.chunks/${chunkName(segment, seq)}`;
    const key = this.keys.current;
    await this.put(name, key ? await sealBytes(key, name, data) : data);
  }

  private async put(name: string, body: Buffer | { file: string; bytes: number }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(name),
        Body: Buffer.isBuffer(body) ? body : fs.createReadStream(body.file),
        ContentLength: Buffer.isBuffer(body) ? body.length : body.bytes,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  /** An object's bytes start..end (inclusive) as one ranged GET. */
  private async *range(name: string, start: number, end: number): AsyncGenerator<Buffer> {
    if (end < start) return;
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(name), Range: `bytes=${start}-${end}` }));
    for await (const piece of res.Body as Readable) yield Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
  }

  /** The object's size, or null when there is none. */
  private async size(name: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(name) }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private async whole(name: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(name) }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  /** An object's plain bytes: opened and checked when sealed, as stored otherwise (before a key was set). */
  private async plainObject(name: string): Promise<Buffer> {
    const stored = await this.whole(name);
    if (!hasSealedMagic(stored)) return stored;
    try {
      const reader = await openSealedSource(bufferSource(stored), this.keys, name);
      const parts: Buffer[] = [];
      for await (const part of reader.read(0, reader.size - 1)) parts.push(part);
      return Buffer.concat(parts);
    } catch (err) {
      throw asDomain(err);
    }
  }

  private async *plainChunks(recordingId: string, segments: readonly SegmentChunks[]): AsyncGenerator<Buffer> {
    for (const s of segments) for (const seq of s.seqs) yield await this.plainObject(`${recordingId}.chunks/${chunkName(s.segment, seq)}`);
  }

  /** Writes plain bytes to a local work file (0600), sealed under the current key when there is one; returns the plain byte count. */
  private async writeLocal(file: string, name: string, source: AsyncIterable<Buffer>): Promise<number> {
    let plainBytes = 0;
    const counted = async function* () {
      for await (const piece of source) {
        plainBytes += piece.length;
        yield piece;
      }
    };
    const out = fs.createWriteStream(file, { mode: PRIVATE_FILE_MODE, flags: 'wx' });
    const key = this.keys.current;
    if (key) await pipeline(counted(), sealer(key, name), out);
    else await pipeline(counted(), out);
    return plainBytes;
  }

  async assemble(recordingId: string, segments: readonly SegmentChunks[]): Promise<AssemblyResult> {
    const name = `${checkRecordingId(recordingId)}.webm`;
    const { present, usable, leftOut } = planSegments(segments);
    const work = path.join(this.workRoot, `${recordingId}.assembling`);
    await ensurePrivateDir(this.workRoot);
    await fsp.rm(work, { recursive: true, force: true });
    await ensurePrivateDir(work);
    try {
      const upload = async (source: AsyncIterable<Buffer>): Promise<number> => {
        const file = path.join(work, 'upload.webm');
        await fsp.rm(file, { force: true });
        const bytes = await this.writeLocal(file, name, source);
        await this.put(name, { file, bytes: (await fsp.stat(file)).size });
        return bytes;
      };
      if (usable.length <= 1) {
        const only = usable.length === 1 ? usable : present.slice(0, 1);
        return { bytes: await upload(this.plainChunks(recordingId, only)), assembly: 'single', note: leftOut };
      }
      const joined = await joinSegments(work, usable, (segment) => this.plainChunks(recordingId, [segment]), this.joiner);
      if (joined.ok) return { bytes: await upload(fs.createReadStream(joined.output)), assembly: 'joined', note: leftOut };
      // Nothing is lost: the segments back to back (ffmpeg decodes all of them; browsers may stop after the first).
      return { bytes: await upload(this.plainChunks(recordingId, present)), assembly: 'unjoined', note: [joined.reason, leftOut].filter(Boolean).join('; ') };
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  }

  async openAudio(recordingId: string): Promise<StoredAudio | null> {
    const name = `${checkRecordingId(recordingId)}.webm`;
    const size = await this.size(name);
    if (size === null) return null;
    const source: RangedSource = { size, stream: (start, end) => this.range(name, start, end) };
    const head = size === 0 ? Buffer.alloc(0) : Buffer.concat(await collect(this.range(name, 0, Math.min(size, 8) - 1)));
    if (!hasSealedMagic(head)) {
      return {
        size,
        stream: (start = 0, end = size - 1) => Readable.from(this.range(name, start, Math.max(start, end))),
        verify: async () => undefined,
      };
    }
    return sealedAudio(
      await openSealedSource(source, this.keys, name).catch((err: unknown) => {
        throw asDomain(err);
      }),
    );
  }

  /** Every object name (without the prefix) starting with `prefix`, all pages. */
  private async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.objectKey(prefix), ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key) names.push(o.Key.slice(PREFIX.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  /** Deletes every object of the recording, then lists again: an erase is done only when nothing is left. */
  async remove(recordingId: string): Promise<void> {
    // `<id>.` and not `<id>`: another id that starts with this one is never touched.
    const prefix = `${checkRecordingId(recordingId)}.`;
    for (const name of await this.list(prefix)) await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(name) }));
    const left = await this.list(prefix);
    if (left.length > 0) throw new Error(`recordings: ${left.length} object(s) of recording ${recordingId} still in the bucket after deleting them`);
    // A work folder an assembly left behind (a crash mid-join).
    await fsp.rm(path.join(this.workRoot, `${recordingId}.assembling`), { recursive: true, force: true });
  }

  /**
   * Every object not sealed with the current key is read (checked block by block when sealed),
   * sealed again into a private work file and put back in its place; only the header of an object
   * already sealed with the current key is fetched.
   */
  async resealAll(): Promise<ResealReport> {
    const key = this.keys.current;
    if (!key) throw new Error(NO_CURRENT_KEY);
    const report: ResealReport = { resealed: 0, current: 0, failed: [] };
    await ensurePrivateDir(this.workRoot);
    const work = await fsp.mkdtemp(path.join(this.workRoot, 'reseal-'));
    try {
      for (const name of await this.list('')) {
        const id = name.replace(/\.(webm|chunks\/.*)$/, '');
        if (!SAFE_RECORDING_ID.test(id) || id === name) continue;
        try {
          const size = (await this.size(name)) ?? 0;
          const source: RangedSource = { size, stream: (start, end) => this.range(name, start, end) };
          const head = size === 0 ? Buffer.alloc(0) : Buffer.concat(await collect(this.range(name, 0, Math.min(size, 8) - 1)));
          let plain: AsyncIterable<Buffer>;
          if (hasSealedMagic(head)) {
            const reader = await openSealedSource(source, this.keys, name);
            if (reader.keyId === key.id) {
              report.current += 1;
              continue;
            }
            plain = reader.read(0, reader.size - 1);
          } else {
            plain = this.range(name, 0, size - 1);
          }
          const file = path.join(work, 'resealed');
          await fsp.rm(file, { force: true });
          await this.writeLocal(file, name, plain);
          await this.put(name, { file, bytes: (await fsp.stat(file)).size });
          report.resealed += 1;
        } catch (err) {
          report.failed.push({ file: name, reason: err instanceof Error ? err.message : String(err) });
        }
      }
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
    return report;
  }
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(part);
  return parts;
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');
}

/** The S3 error's name and status, never the request (it could carry signed headers). */
function describeError(err: unknown): string {
  if (err instanceof S3ServiceException) return `${err.name}, HTTP ${err.$metadata.httpStatusCode ?? '?'}`;
  return err instanceof Error ? err.message : String(err);
}
