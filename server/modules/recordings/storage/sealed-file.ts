import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { KeyRing, RecordingKey } from './key-ring';

/**
 * A recording file sealed at rest with AES-256-GCM, in fixed-size blocks so that a byte range maps
 * to the blocks holding it (playback seeks without decrypting the whole file):
 *
 *   header (36 bytes): "VDSEAL" · version 1 · 0 · key id (8 bytes) · file id (16 random bytes) · block size (u32 BE)
 *   blocks: nonce (12 random bytes) · ciphertext (block size bytes; the last block fewer, maybe none) · tag (16)
 *
 * Each block's additional data is the header, the file's name in the store (so a block or a file
 * moved elsewhere fails), the block's index (so blocks cannot be reordered) and whether it is the
 * last (so dropping blocks from the end fails). A block that fails its tag is never handed on.
 */
const MAGIC = Buffer.from('VDSEAL\x01\x00', 'latin1');
export const HEADER_BYTES = 36;
const NONCE = 12;
const TAG = 16;
export const DEFAULT_BLOCK_BYTES = 64 * 1024;

/** What `npm run recordings -- reseal` says without a key to seal with. */
export const NO_CURRENT_KEY = 'No current recordings key: set VEILDESK_RECORDINGS_KEY (and the older keys in VEILDESK_RECORDINGS_OLD_KEYS) first.';

export class SealedFileError extends Error {
  constructor(
    readonly kind: 'damaged' | 'unknown_key',
    message: string,
  ) {
    super(message);
    this.name = 'SealedFileError';
  }
}

interface Header {
  raw: Buffer;
  keyId: string;
  blockBytes: number;
}

function header(key: RecordingKey, blockBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  Buffer.from(key.id, 'hex').copy(h, 8);
  randomBytes(16).copy(h, 16);
  h.writeUInt32BE(blockBytes, 32);
  return h;
}

function aad(head: Buffer, name: string, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = last ? 1 : 0;
  return Buffer.concat([head, Buffer.from(`${name}\0`, 'utf8'), tail]);
}

function sealBlock(key: RecordingKey, head: Buffer, name: string, index: number, last: boolean, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(aad(head, name, index, last));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/**
 * Seals a stream of bytes: use as a pipeline step. A block is written once more bytes follow it
 * (or the input ends), so the last block is always marked last, even an empty one.
 */
export function sealer(key: RecordingKey, name: string, blockBytes = DEFAULT_BLOCK_BYTES) {
  return async function* seal(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
    const head = header(key, blockBytes);
    yield head;
    let pending = Buffer.alloc(0);
    let index = 0;
    for await (const piece of source) {
      pending = Buffer.concat([pending, typeof piece === 'string' ? Buffer.from(piece) : piece]);
      while (pending.length > blockBytes) {
        yield sealBlock(key, head, name, index++, false, pending.subarray(0, blockBytes));
        pending = pending.subarray(blockBytes);
      }
    }
    yield sealBlock(key, head, name, index, true, pending);
  };
}

/** Whether bytes start as a sealed file (files written before a key was set are stored as uploaded). */
export function hasSealedMagic(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC);
}

/** Whether a file starts as a sealed one. */
export async function isSealed(file: string): Promise<boolean> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return hasSealedMagic(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * Stored bytes readable by range: a file on disk or an object in S3-compatible storage
 * (s3-storage.ts). `stream(start, end)` yields bytes start..end inclusive, in pieces of any size.
 */
export interface RangedSource {
  size: number;
  stream(start: number, end: number): AsyncIterable<Buffer>;
}

export function fileSource(file: string, size: number): RangedSource {
  return { size, stream: (start, end) => fs.createReadStream(file, { start, end }) };
}

/** An opened sealed file: its plaintext size, and its plaintext bytes by range (checked block by block). */
export interface SealedReader {
  size: number;
  keyId: string;
  /** Plaintext bytes start..end (inclusive); throws SealedFileError at a block that fails its check. */
  read(start: number, end: number): AsyncGenerator<Buffer>;
}

export async function openSealed(file: string, keys: KeyRing, name: string): Promise<SealedReader> {
  return openSealedSource(fileSource(file, (await fsp.stat(file)).size), keys, name);
}

/**
 * Opens sealed bytes from any ranged source: the header is read first, then a plaintext range
 * reads only the blocks covering it, as one ranged read (one request on object storage).
 */
export async function openSealedSource(source: RangedSource, keys: KeyRing, name: string): Promise<SealedReader> {
  const fileBytes = source.size;
  const head = await readHeader(source, name);
  const key = keys.get(head.keyId);
  if (!key) {
    throw new SealedFileError(
      'unknown_key',
      `${name} is sealed with recordings key ${head.keyId}, which this server does not have: add that key to VEILDESK_RECORDINGS_OLD_KEYS (docs/operations.md, "Recordings at rest").`,
    );
  }
  const stride = head.blockBytes + NONCE + TAG;
  const body = fileBytes - HEADER_BYTES;
  const full = Math.floor(body / stride);
  const rest = body % stride;
  if (body <= 0 || (rest > 0 && rest < NONCE + TAG)) throw damaged(name, `its size (${fileBytes} bytes) does not fit its block layout`);
  const blocks = rest === 0 ? full : full + 1;
  const size = rest === 0 ? full * head.blockBytes : full * head.blockBytes + rest - NONCE - TAG;
  return {
    size,
    keyId: head.keyId,
    async *read(start, end) {
      if (size === 0 || end < start) return;
      const first = Math.floor(start / head.blockBytes);
      const last = Math.min(blocks - 1, Math.floor(end / head.blockBytes));
      const from = HEADER_BYTES + first * stride;
      const to = Math.min(fileBytes, HEADER_BYTES + (last + 1) * stride) - 1;
      let index = first;
      let pending: Buffer = Buffer.alloc(0);
      const open = function* (final: boolean) {
        // A block is whole at `stride` bytes, or when the source ended (the last block is shorter).
        while (index <= last && (pending.length >= stride || (final && pending.length > 0))) {
          const length = Math.min(stride, fileBytes - (HEADER_BYTES + index * stride));
          if (pending.length < length) throw damaged(name, `block ${index} is cut short`);
          const plain = openBlock(key, head.raw, name, index, index === blocks - 1, pending.subarray(0, length));
          pending = pending.subarray(length);
          const a = index === first ? start - index * head.blockBytes : 0;
          const b = index === last ? end - index * head.blockBytes + 1 : plain.length;
          index += 1;
          yield plain.subarray(a, b);
        }
      };
      for await (const piece of source.stream(from, to)) {
        pending = pending.length === 0 ? piece : Buffer.concat([pending, piece]);
        yield* open(false);
      }
      yield* open(true);
      if (index <= last) throw damaged(name, `block ${index} is cut short`);
    },
  };
}

function openBlock(key: RecordingKey, head: Buffer, name: string, index: number, last: boolean, sealed: Buffer): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.subarray(0, NONCE));
    decipher.setAAD(aad(head, name, index, last));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw damaged(name, `block ${index} failed its integrity check`);
  }
}

async function readHeader(source: RangedSource, name: string): Promise<Header> {
  const parts: Buffer[] = [];
  if (source.size >= HEADER_BYTES) for await (const piece of source.stream(0, HEADER_BYTES - 1)) parts.push(piece);
  const raw = Buffer.concat(parts);
  if (raw.length !== HEADER_BYTES || !hasSealedMagic(raw)) throw damaged(name, 'its header is not a sealed-file header');
  const blockBytes = raw.readUInt32BE(32);
  if (blockBytes < 1 || blockBytes > 16 * 1024 * 1024) throw damaged(name, `its header names an impossible block size (${blockBytes})`);
  return { raw, keyId: raw.subarray(8, 16).toString('hex'), blockBytes };
}

function damaged(name: string, why: string): SealedFileError {
  return new SealedFileError('damaged', `${name} is damaged: ${why} (altered or corrupted in storage). It is not served; restore the file from a backup.`);
}

/** Seals bytes held in memory (a chunk: at most 1 MiB). */
export async function sealBytes(key: RecordingKey, name: string, plain: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of sealer(key, name)(once(plain))) parts.push(part);
  return Buffer.concat(parts);
}

/** Bytes held in memory as a ranged source. */
export function bufferSource(bytes: Buffer): RangedSource {
  return { size: bytes.length, stream: (start, end) => once(bytes.subarray(start, end + 1)) };
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** Reads a whole sealed file's plaintext (chunks: small). */
export async function readSealed(file: string, keys: KeyRing, name: string): Promise<Buffer> {
  const reader = await openSealed(file, keys, name);
  const parts: Buffer[] = [];
  for await (const part of reader.read(0, reader.size - 1)) parts.push(part);
  return Buffer.concat(parts);
}

/** A plain (unsealed) file's bytes start..end, for files stored before a key was set. */
export function readPlain(file: string, start: number, end: number): fs.ReadStream {
  return fs.createReadStream(file, { start, end });
}
