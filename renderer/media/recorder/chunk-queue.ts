/**
 * Recording chunks (and close requests) waiting for upload, kept in IndexedDB so they survive a
 * lost connection and a reload. A small store of its own ("veildesk-recorder"), raw IndexedDB.
 */

export interface QueuedChunk {
  recordingId: string;
  seq: number;
  data: ArrayBuffer;
  /** Where and as whom to upload (the session that recorded it). */
  serverUrl: string;
}

export interface QueuedClose {
  recordingId: string;
  lastSeq: number;
  serverUrl: string;
}

export interface ChunkQueue {
  putChunk(chunk: QueuedChunk): Promise<void>;
  deleteChunk(recordingId: string, seq: number): Promise<void>;
  /** Every waiting chunk, by recording and seq. */
  chunks(): Promise<QueuedChunk[]>;
  putClose(close: QueuedClose): Promise<void>;
  deleteClose(recordingId: string): Promise<void>;
  closes(): Promise<QueuedClose[]>;
  /** The next seq of a recording this browser recorded before (a reload mid-call continues there). */
  nextSeq(recordingId: string): Promise<number>;
  setNextSeq(recordingId: string, seq: number): Promise<void>;
}

const DB_NAME = 'veildesk-recorder';
const CHUNKS = 'chunks';
const CLOSES = 'closes';
const SEQS = 'seqs';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** The IndexedDB queue; `indexedDB` is injectable for tests. */
export function indexedDbChunkQueue(idb: IDBFactory = globalThis.indexedDB): ChunkQueue {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = idb.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        d.createObjectStore(CHUNKS, { keyPath: ['recordingId', 'seq'] });
        d.createObjectStore(CLOSES, { keyPath: 'recordingId' });
        d.createObjectStore(SEQS);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        opened = null;
        reject(req.error ?? new Error('IndexedDB could not be opened'));
      };
    });
    return opened;
  };
  const run = async <T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(store, mode);
    const result = await request(fn(tx.objectStore(store)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  };
  return {
    putChunk: async (chunk) => void (await run(CHUNKS, 'readwrite', (s) => s.put(chunk))),
    deleteChunk: async (recordingId, seq) => void (await run(CHUNKS, 'readwrite', (s) => s.delete([recordingId, seq]))),
    chunks: () => run(CHUNKS, 'readonly', (s) => s.getAll() as IDBRequest<QueuedChunk[]>),
    putClose: async (close) => void (await run(CLOSES, 'readwrite', (s) => s.put(close))),
    deleteClose: async (recordingId) => void (await run(CLOSES, 'readwrite', (s) => s.delete(recordingId))),
    closes: () => run(CLOSES, 'readonly', (s) => s.getAll() as IDBRequest<QueuedClose[]>),
    nextSeq: async (recordingId) => ((await run(SEQS, 'readonly', (s) => s.get(recordingId) as IDBRequest<number | undefined>)) ?? 0),
    setNextSeq: async (recordingId, seq) => void (await run(SEQS, 'readwrite', (s) => s.put(seq, recordingId))),
  };
}

/** In memory: for tests, and for runtimes without IndexedDB (nothing survives a reload there). */
export function memoryChunkQueue(): ChunkQueue {
  const chunks = new Map<string, QueuedChunk>();
  const closes = new Map<string, QueuedClose>();
  const seqs = new Map<string, number>();
  const key = (id: string, seq: number) => `${id}\u0000${String(seq).padStart(10, '0')}`;
  return {
    putChunk: async (c) => void chunks.set(key(c.recordingId, c.seq), c),
    deleteChunk: async (id, seq) => void chunks.delete(key(id, seq)),
    chunks: async () => [...chunks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c),
    putClose: async (c) => void closes.set(c.recordingId, c),
    deleteClose: async (id) => void closes.delete(id),
    closes: async () => [...closes.values()],
    nextSeq: async (id) => seqs.get(id) ?? 0,
    setNextSeq: async (id, seq) => void seqs.set(id, seq),
  };
}
