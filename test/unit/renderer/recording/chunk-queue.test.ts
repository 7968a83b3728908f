import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, generateLocalKey } from '../../../../renderer/data/crypto/field-cipher';
import { indexedDbChunkQueue, memoryChunkQueue, type ChunkQueue } from '../../../../renderer/media/recorder/chunk-queue';
import { sealedChunkQueue } from '../../../../renderer/media/recorder/sealed-chunk-queue';

const bytes = (text: string) => new TextEncoder().encode(text).buffer;

function segmentsBehaviour(name: string, make: () => ChunkQueue) {
  describe(name, () => {
    it('numbers the segments of a recording (a reload starts the next) and reports each one’s last seq', async () => {
      const q = make();
      expect(await q.beginSegment('r1')).toBe(0);
      await q.setNextSeq('r1', 0, 1);
      await q.setNextSeq('r1', 0, 3);
      // A late, smaller note never lowers it.
      await q.setNextSeq('r1', 0, 2);
      expect(await q.beginSegment('r1')).toBe(1);
      expect(await q.beginSegment('r2')).toBe(0);
      expect(await q.lastSeqs('r1')).toEqual([
        { segment: 0, lastSeq: 2 },
        { segment: 1, lastSeq: -1 },
      ]);
      await q.forget('r1');
      expect(await q.lastSeqs('r1')).toEqual([]);
      expect(await q.beginSegment('r1')).toBe(0);
    });

    it('a kept chunk counts for its segment’s last seq in the same write (the close announces only kept chunks)', async () => {
      const q = make();
      expect(await q.beginSegment('r1')).toBe(0);
      expect(await q.beginSegment('r1')).toBe(1);
      await q.putChunk({ recordingId: 'r1', segment: 1, seq: 0, data: bytes('b'), serverUrl: 'http://s' });
      await q.putChunk({ recordingId: 'r1', segment: 1, seq: 2, data: bytes('d'), serverUrl: 'http://s' });
      await q.putChunk({ recordingId: 'r1', segment: 1, seq: 1, data: bytes('c'), serverUrl: 'http://s' });
      expect(await q.lastSeqs('r1')).toEqual([
        { segment: 0, lastSeq: -1 },
        { segment: 1, lastSeq: 2 },
      ]);
      // Uploading (deleting) chunks does not lower it.
      await q.deleteChunk('r1', 1, 2);
      expect((await q.lastSeqs('r1'))[1]).toEqual({ segment: 1, lastSeq: 2 });
    });

    it('keeps chunks by (recording, segment, seq): the same seq in two segments are two chunks', async () => {
      const q = make();
      await q.putChunk({ recordingId: 'r1', segment: 1, seq: 0, data: bytes('b'), serverUrl: 'http://s' });
      await q.putChunk({ recordingId: 'r1', segment: 0, seq: 0, data: bytes('a'), serverUrl: 'http://s' });
      expect((await q.chunks()).map((c) => [c.segment, c.seq])).toEqual([
        [0, 0],
        [1, 0],
      ]);
      await q.deleteChunk('r1', 0, 0);
      expect((await q.chunks()).map((c) => [c.segment, c.seq])).toEqual([[1, 0]]);
    });

    it('lists only the owners asked for, and deletes one user’s chunks and closes on one server, no one else’s', async () => {
      const q = make();
      await q.putChunk({ recordingId: 'ra', segment: 0, seq: 0, data: bytes('a0'), serverUrl: 'http://s', userId: 'a' });
      await q.putChunk({ recordingId: 'ra', segment: 0, seq: 1, data: bytes('a1'), serverUrl: 'http://s', userId: 'a' });
      await q.putChunk({ recordingId: 'rb', segment: 0, seq: 0, data: bytes('b0'), serverUrl: 'http://s', userId: 'b' });
      await q.putChunk({ recordingId: 'ra2', segment: 0, seq: 0, data: bytes('x0'), serverUrl: 'http://other', userId: 'a' });
      await q.putClose({ recordingId: 'ra', segments: [{ segment: 0, lastSeq: 1 }], serverUrl: 'http://s', userId: 'a' });
      await q.putClose({ recordingId: 'rb', segments: [{ segment: 0, lastSeq: 0 }], serverUrl: 'http://s', userId: 'b' });
      expect((await q.chunks((o) => o.userId === 'b')).map((c) => c.recordingId)).toEqual(['rb']);

      expect(await q.deleteUser('a', 'http://s')).toBe(2);
      expect((await q.chunks()).map((c) => `${c.recordingId} ${c.userId}`)).toEqual(['ra2 a', 'rb b']);
      expect((await q.closes()).map((c) => c.recordingId)).toEqual(['rb']);
      expect(await q.lastSeqs('ra')).toEqual([]);
      expect(await q.lastSeqs('rb')).toEqual([{ segment: 0, lastSeq: 0 }]);
    });
  });
}

segmentsBehaviour('memory queue', memoryChunkQueue);
segmentsBehaviour('IndexedDB queue', () => indexedDbChunkQueue(new IDBFactory()));
segmentsBehaviour('sealed IndexedDB queue', () => sealedChunkQueue(indexedDbChunkQueue(new IDBFactory()), { cipher: async () => createFieldCipher(await generateLocalKey()) }));

describe('IndexedDB queue upgrade', () => {
  it('keeps chunks and seqs an older app version queued (v1, no segments) as segment 0', async () => {
    const idb = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const req = idb.open('veildesk-recorder', 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        const chunks = d.createObjectStore('chunks', { keyPath: ['recordingId', 'seq'] });
        d.createObjectStore('closes', { keyPath: 'recordingId' });
        const seqs = d.createObjectStore('seqs');
        chunks.put({ recordingId: 'old', seq: 4, data: bytes('x'), serverUrl: 'http://s' });
        seqs.put(5, 'old');
      };
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
      req.onerror = () => reject(req.error);
    });
    const q = indexedDbChunkQueue(idb);
    expect((await q.chunks()).map((c) => [c.recordingId, c.segment, c.seq])).toEqual([['old', 0, 4]]);
    expect(await q.lastSeqs('old')).toEqual([{ segment: 0, lastSeq: 4 }]);
    expect(await q.beginSegment('old')).toBe(1);
  });
});
