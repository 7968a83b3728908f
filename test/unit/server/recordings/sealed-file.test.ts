import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../../../server/modules/recordings/storage/key-ring';
import { HEADER_BYTES, openSealed, openSealedSource, readSealed, SealedFileError, sealer, type RangedSource } from '../../../../server/modules/recordings/storage/sealed-file';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-sealed-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const BLOCK = 1024;
const STRIDE = BLOCK + 28;
const ring = KeyRing.fromBase64(randomBytes(32).toString('base64'));

async function seal(plain: Buffer, name = 'rec.webm', pieces = 7): Promise<string> {
  const file = path.join(dir, `${randomBytes(6).toString('hex')}.sealed`);
  const parts: Buffer[] = [];
  for (let at = 0; at < plain.length; at += pieces) parts.push(plain.subarray(at, at + pieces));
  await pipeline(Readable.from(parts), sealer(ring.current!, name, BLOCK), fs.createWriteStream(file));
  return file;
}

async function read(file: string, start: number, end: number, name = 'rec.webm'): Promise<Buffer> {
  const reader = await openSealed(file, ring, name);
  const out: Buffer[] = [];
  for await (const part of reader.read(start, end)) out.push(part);
  return Buffer.concat(out);
}

describe('sealed recording files', () => {
  it('round-trip any size, block multiples and empty included; every range gives the plain bytes', async () => {
    for (const size of [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 3 * BLOCK + 17]) {
      const plain = randomBytes(size);
      const file = await seal(plain);
      const reader = await openSealed(file, ring, 'rec.webm');
      expect(reader.size, `size ${size}`).toBe(size);
      expect((await readSealed(file, ring, 'rec.webm')).equals(plain)).toBe(true);
      for (const [s, e] of [
        [0, size - 1],
        [BLOCK - 3, BLOCK + 3],
        [size - 5, size - 1],
        [1, 1],
      ]) {
        if (s! < 0 || s! >= size || e! < s!) continue;
        expect((await read(file, s!, e!)).equals(plain.subarray(s!, e! + 1)), `${size}: ${s}-${e}`).toBe(true);
      }
    }
  });

  it('holds none of the plain bytes', async () => {
    const plain = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from('OpusHead'), randomBytes(5000)]);
    const bytes = fs.readFileSync(await seal(plain));
    expect(bytes.includes(Buffer.from('OpusHead'))).toBe(false);
    expect(bytes.includes(plain.subarray(2000, 2032))).toBe(false);
  });

  const damagedCases: [string, (b: Buffer) => Buffer][] = [
    ['a flipped byte', (b) => (b[HEADER_BYTES + STRIDE + 40]! ^= 1, b)],
    ['two blocks swapped', (b) => Buffer.concat([b.subarray(0, HEADER_BYTES), b.subarray(HEADER_BYTES + STRIDE, HEADER_BYTES + 2 * STRIDE), b.subarray(HEADER_BYTES, HEADER_BYTES + STRIDE), b.subarray(HEADER_BYTES + 2 * STRIDE)])],
    ['the last block cut off', (b) => b.subarray(0, HEADER_BYTES + 2 * STRIDE)],
    ['the header changed', (b) => (b[20]! ^= 1, b)],
  ];
  for (const [what, change] of damagedCases) {
    it(`refuses ${what}, naming the file, never handing on the block`, async () => {
      const file = await seal(randomBytes(2 * BLOCK + 100));
      fs.writeFileSync(file, change(fs.readFileSync(file)));
      const err = await readSealed(file, ring, 'rec.webm').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SealedFileError);
      expect((err as SealedFileError).kind).toBe('damaged');
      expect((err as Error).message).toMatch(/^rec\.webm is damaged: .*restore the file from a backup/);
    });
  }

  it('a file put in another file’s place fails (its name is bound to every block)', async () => {
    const file = await seal(randomBytes(100), 'a.chunks/0000001');
    await expect(readSealed(file, ring, 'a.chunks/0000002')).rejects.toThrow(/block 0 failed its integrity check/);
  });

  it('a file of a key the ring lacks names the key id and where to add it', async () => {
    const file = await seal(randomBytes(10));
    const other = KeyRing.fromBase64(randomBytes(32).toString('base64'));
    const err = await openSealed(file, other, 'rec.webm').catch((e: unknown) => e);
    expect((err as SealedFileError).kind).toBe('unknown_key');
    expect((err as Error).message).toContain(ring.current!.id);
    expect((err as Error).message).toContain('VEILDESK_RECORDINGS_OLD_KEYS');
    // The old key among the older ones opens it.
    const rotated = new KeyRing(other.current, [ring.current!]);
    expect((await readSealed(file, rotated, 'rec.webm')).length).toBe(10);
  });

  it('reads from any ranged source (object storage) whatever the size of the pieces it delivers, asking once per range for the blocks it covers only', async () => {
    const plain = randomBytes(5 * BLOCK + 77);
    const stored = fs.readFileSync(await seal(plain));
    const asked: [number, number][] = [];
    // Pieces of 1, 13, 700 and 5000 bytes: a network stream cuts where it likes.
    for (const piece of [1, 13, 700, 5000]) {
      const source: RangedSource = {
        size: stored.length,
        async *stream(start, end) {
          asked.push([start, end]);
          for (let at = start; at <= end; at += piece) yield stored.subarray(at, Math.min(at + piece, end + 1));
        },
      };
      const reader = await openSealedSource(source, ring, 'rec.webm');
      asked.length = 0;
      const out: Buffer[] = [];
      for await (const part of reader.read(BLOCK + 5, 3 * BLOCK + 9)) out.push(part);
      expect(Buffer.concat(out).equals(plain.subarray(BLOCK + 5, 3 * BLOCK + 10)), `pieces of ${piece}`).toBe(true);
      // Blocks 1 to 3, one request.
      expect(asked).toEqual([[HEADER_BYTES + STRIDE, HEADER_BYTES + 4 * STRIDE - 1]]);
    }
  });

  it('a source that delivers less than its size says the block is cut short', async () => {
    const stored = fs.readFileSync(await seal(randomBytes(2 * BLOCK)));
    const source: RangedSource = {
      size: stored.length,
      async *stream(start, end) {
        yield stored.subarray(start, Math.min(end + 1, stored.length - 100));
      },
    };
    const reader = await openSealedSource(source, ring, 'rec.webm');
    const read = async () => {
      for await (const part of reader.read(0, reader.size - 1)) void part;
    };
    await expect(read()).rejects.toThrow(/block 1 is cut short/);
  });
});
