import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ZipSink } from '../../../../server/modules/privacy/export/zip-sink';

describe('ZipSink', () => {
  it('measures each entry (size, SHA-256) as it streams through', async () => {
    const parts: Buffer[] = [];
    const sink = new ZipSink(new Writable({ write: (chunk: Buffer, _e, cb) => (parts.push(chunk), cb()) }), new Date('2026-01-01T00:00:00Z'));
    const entry = await sink.add('a.txt', [Buffer.from('hello '), Buffer.from('world')]);
    expect(entry).toEqual({ path: 'a.txt', bytes: 11, sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9' });
    await sink.finish();
    const zip = Buffer.concat(parts);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zip.includes(Buffer.from('a.txt'))).toBe(true);
  });

  it('fails (does not hang) when the output cannot be written, and closes the entry being read', async () => {
    const sink = new ZipSink(new Writable({ write: (_chunk, _e, cb) => cb(new Error('no space left on device')) }), new Date());
    let destroyed = false;
    const source = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
      },
      destroy(err, cb) {
        destroyed = true;
        cb(err);
      },
    });
    await expect(sink.add('big.bin', source, { compress: false })).rejects.toThrow(/no space left/);
    sink.abort();
    expect(destroyed).toBe(true);
    await expect(sink.add('next.txt', [Buffer.from('x')])).rejects.toThrow(/no space left/);
  });
});
