import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createFieldCipher, generateLocalKey } from '../../../renderer/data/crypto/field-cipher';
import { webKeyProvider } from '../../../renderer/data/crypto/local-key';
import { KEYS_DB, RECORDER_DB } from '../../../renderer/data/idb/databases';
import { indexedDbChunkQueue } from '../../../renderer/media/recorder/chunk-queue';

const bytes = (text: string) => new TextEncoder().encode(text).buffer;
const text = (data: ArrayBuffer) => new TextDecoder().decode(data);

/** Opens a database with raw IndexedDB, as the code before data/idb did; `create` runs on a new one. */
function rawOpen(idb: IDBFactory, name: string, version: number, create?: (d: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idb.open(name, version);
    req.onupgradeneeded = () => create?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function rawWrite(d: IDBDatabase, store: string, value: unknown, key?: IDBValidKey): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = d.transaction(store, 'readwrite');
    tx.objectStore(store).put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

function rawReadAll<T>(d: IDBDatabase, store: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const all = d.transaction(store).objectStore(store).getAll();
    all.onsuccess = () => resolve(all.result as T[]);
    all.onerror = () => reject(all.error);
  });
}

describe('one IndexedDB module: what the raw IndexedDB code stored stays readable', () => {
  it('the recorder queue (native version 2) written by the old raw code is read, extended and still raw-readable', async () => {
    const idb = new IDBFactory();
    // The old chunk-queue.ts layout at its version 2.
    const old = await rawOpen(idb, 'veildesk-recorder', 2, (d) => {
      d.createObjectStore('closes', { keyPath: 'recordingId' });
      d.createObjectStore('seqs');
      d.createObjectStore('chunks', { keyPath: ['recordingId', 'segment', 'seq'] });
    });
    await rawWrite(old, 'chunks', { recordingId: 'r1', segment: 1, seq: 3, data: bytes('sealed bytes'), sealed: true, serverUrl: 'http://s' });
    await rawWrite(old, 'chunks', { recordingId: 'r1', segment: 0, seq: 7, data: bytes('older plain'), serverUrl: 'http://s' });
    await rawWrite(old, 'closes', { recordingId: 'r0', segments: [{ segment: 0, lastSeq: 2 }], serverUrl: 'http://s' });
    await rawWrite(old, 'seqs', [8, 4], 'r1');
    await rawWrite(old, 'seqs', 3, 'r0');
    old.close();

    const q = indexedDbChunkQueue(idb, IDBKeyRange);
    const chunks = await q.chunks();
    expect(chunks.map((c) => [c.recordingId, c.segment, c.seq, c.sealed === true, text(c.data)])).toEqual([
      ['r1', 0, 7, false, 'older plain'],
      ['r1', 1, 3, true, 'sealed bytes'],
    ]);
    expect(await q.closes()).toEqual([{ recordingId: 'r0', segments: [{ segment: 0, lastSeq: 2 }], serverUrl: 'http://s' }]);
    expect(await q.lastSeqs('r1')).toEqual([
      { segment: 0, lastSeq: 7 },
      { segment: 1, lastSeq: 3 },
    ]);
    expect(await q.lastSeqs('r0')).toEqual([{ segment: 0, lastSeq: 2 }]);
    expect(await q.beginSegment('r1')).toBe(2);
    await q.putChunk({ recordingId: 'r1', segment: 2, seq: 0, data: bytes('new'), sealed: true, serverUrl: 'http://s' });
    await q.deleteChunk('r1', 0, 7);

    // Same native version and layout: an older app (the raw code) still opens it without an upgrade.
    const again = await rawOpen(idb, RECORDER_DB.name, Math.round(RECORDER_DB.version * 10), () => {
      throw new Error('no upgrade expected');
    });
    expect(again.version).toBe(2);
    expect((await rawReadAll<{ seq: number; segment: number }>(again, 'chunks')).map((c) => [c.segment, c.seq])).toEqual([
      [1, 3],
      [2, 0],
    ]);
    again.close();
  });

  it('the web key store (native version 10, as Dexie version 1 made it) keeps its keys', async () => {
    const idb = new IDBFactory();
    const key = await generateLocalKey();
    const old = await rawOpen(idb, 'veildesk-keys', 10, (d) => void d.createObjectStore('keys', { keyPath: 'scope' }));
    await rawWrite(old, 'keys', { scope: 'u1@host', key });
    old.close();
    const sealed = await createFieldCipher(key).seal('kept', 'x');

    const keys = webKeyProvider(idb, IDBKeyRange);
    const got = await keys.get('u1@host');
    expect(await createFieldCipher(got.key).open(sealed, 'x')).toBe('kept');
    expect(KEYS_DB.name).toBe('veildesk-keys');
  });
});
