/**
 * Recording chunks (and close requests) waiting for upload, kept in IndexedDB so they survive a
 * lost connection and a reload. A small store of its own ("veildesk-recorder"), raw IndexedDB.
 * It also remembers, per recording, the segments this browser recorded (one per MediaRecorder
 * run: a reload mid-call starts the next) and how many chunks each produced, for the close.
 */

export interface QueuedChunk {
  recordingId: string;
  /** The MediaRecorder run (absent in chunks queued before segments: 0). */
  segment?: number;
  seq: number;
  data: ArrayBuffer;
  /** `data` is AES-GCM ciphertext (sealed-chunk-queue.ts); absent in chunks queued before that. */
  sealed?: boolean;
  /** Where and as whom to upload (the session that recorded it). */
  serverUrl: string;
}

export interface SegmentLastSeq {
  segment: number;
  lastSeq: number;
}

export interface QueuedClose {
  recordingId: string;
  /** Each segment's last seq (-1: no chunk). */
  segments?: SegmentLastSeq[];
  /** Closes queued before segments: segment 0's last seq. */
  lastSeq?: number;
  serverUrl: string;
}

export interface ChunkQueue {
  /**
   * Keeps a chunk and, in the same write, notes that its segment handed out seqs up to it: a page
   * that unloads mid-write keeps both or neither, so the close never announces a chunk that is gone.
   */
  putChunk(chunk: QueuedChunk): Promise<void>;
  deleteChunk(recordingId: string, segment: number, seq: number): Promise<void>;
  /** Every waiting chunk, by recording, segment and seq. */
  chunks(): Promise<QueuedChunk[]>;
  putClose(close: QueuedClose): Promise<void>;
  deleteClose(recordingId: string): Promise<void>;
  closes(): Promise<QueuedClose[]>;
  /** Starts the next segment of a recording (0 the first time this browser records it). */
  beginSegment(recordingId: string): Promise<number>;
  /** Notes that a segment handed out seqs below `nextSeq`. */
  setNextSeq(recordingId: string, segment: number, nextSeq: number): Promise<void>;
  /** The last seq of each segment this browser recorded (-1 for one without chunks). */
  lastSeqs(recordingId: string): Promise<SegmentLastSeq[]>;
  /** Forgets a recording's segments once its close was acknowledged. */
  forget(recordingId: string): Promise<void>;
}

const DB_NAME = 'veildesk-recorder';
const DB_VERSION = 2;
const CHUNKS = 'chunks';
const CLOSES = 'closes';
const SEQS = 'seqs';

/** Per recording in SEQS: the next seq of each segment, by index (v1 kept one number). */
type SeqRecord = number[] | number | undefined;
const segmentsOf = (record: SeqRecord): number[] => (Array.isArray(record) ? record : typeof record === 'number' ? [record] : []);

/** The segments' next seqs once `segment` handed out seqs below `nextSeq` (never lowered). */
function withNextSeq(segments: number[], segment: number, nextSeq: number): number[] {
  const out = [...segments];
  while (out.length <= segment) out.push(0);
  out[segment] = Math.max(out[segment] ?? 0, nextSeq);
  return out;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** v1 → v2: chunks were keyed by (recording, seq); they become segment 0 of (recording, segment, seq). */
function upgrade(req: IDBOpenDBRequest, oldVersion: number): void {
  const d = req.result;
  if (oldVersion < 1) {
    d.createObjectStore(CLOSES, { keyPath: 'recordingId' });
    d.createObjectStore(SEQS);
  }
  if (oldVersion === 1) {
    const old = req.transaction!.objectStore(CHUNKS);
    const all = old.getAll() as IDBRequest<QueuedChunk[]>;
    all.onsuccess = () => {
      d.deleteObjectStore(CHUNKS);
      const store = d.createObjectStore(CHUNKS, { keyPath: ['recordingId', 'segment', 'seq'] });
      for (const c of all.result) store.put({ ...c, segment: c.segment ?? 0 });
    };
  } else {
    d.createObjectStore(CHUNKS, { keyPath: ['recordingId', 'segment', 'seq'] });
  }
}

/** The IndexedDB queue; `indexedDB` is injectable for tests. */
export function indexedDbChunkQueue(idb: IDBFactory = globalThis.indexedDB): ChunkQueue {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = idb.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = (event) => upgrade(req, event.oldVersion);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        opened = null;
        reject(req.error ?? new Error('IndexedDB could not be opened'));
      };
    });
    return opened;
  };
  const run = async <T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T> | IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(store, mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    const out = fn(tx.objectStore(store));
    const result = out instanceof Promise ? await out : await request(out);
    await done;
    return result;
  };
  /** Read-modify-write of one recording's segments in one transaction (two windows cannot interleave). */
  const updateSeqs = (recordingId: string, change: (segments: number[]) => number[]) =>
    run(SEQS, 'readwrite', async (s) => {
      const next = change([...segmentsOf(await request(s.get(recordingId) as IDBRequest<SeqRecord>))]);
      await request(s.put(next, recordingId));
      return next;
    });
  /** The chunk and its segment's next seq in one transaction (request callbacks keep it active). */
  const putChunk = async (chunk: QueuedChunk): Promise<void> => {
    const c = { ...chunk, segment: chunk.segment ?? 0 };
    const tx = (await db()).transaction([CHUNKS, SEQS], 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    tx.objectStore(CHUNKS).put(c);
    const seqs = tx.objectStore(SEQS);
    const current = seqs.get(c.recordingId) as IDBRequest<SeqRecord>;
    current.onsuccess = () => void seqs.put(withNextSeq(segmentsOf(current.result), c.segment, c.seq + 1), c.recordingId);
    await done;
  };
  return {
    putChunk,
    deleteChunk: async (recordingId, segment, seq) => void (await run(CHUNKS, 'readwrite', (s) => s.delete([recordingId, segment, seq]))),
    chunks: () => run(CHUNKS, 'readonly', (s) => s.getAll() as IDBRequest<QueuedChunk[]>),
    putClose: async (close) => void (await run(CLOSES, 'readwrite', (s) => s.put(close))),
    deleteClose: async (recordingId) => void (await run(CLOSES, 'readwrite', (s) => s.delete(recordingId))),
    closes: () => run(CLOSES, 'readonly', (s) => s.getAll() as IDBRequest<QueuedClose[]>),
    beginSegment: async (recordingId) => (await updateSeqs(recordingId, (segments) => [...segments, 0])).length - 1,
    setNextSeq: async (recordingId, segment, nextSeq) => void (await updateSeqs(recordingId, (segments) => withNextSeq(segments, segment, nextSeq))),
    lastSeqs: async (recordingId) => segmentsOf(await run(SEQS, 'readonly', (s) => s.get(recordingId) as IDBRequest<SeqRecord>)).map((next, segment) => ({ segment, lastSeq: next - 1 })),
    forget: async (recordingId) => void (await run(SEQS, 'readwrite', (s) => s.delete(recordingId))),
  };
}

/** In memory: for tests, and for runtimes without IndexedDB (nothing survives a reload there). */
export function memoryChunkQueue(): ChunkQueue {
  const chunks = new Map<string, QueuedChunk>();
  const closes = new Map<string, QueuedClose>();
  const seqs = new Map<string, number[]>();
  const key = (id: string, segment: number, seq: number) => `${id}\u0000${String(segment).padStart(5, '0')}\u0000${String(seq).padStart(10, '0')}`;
  return {
    putChunk: async (c) => {
      chunks.set(key(c.recordingId, c.segment ?? 0, c.seq), { ...c, segment: c.segment ?? 0 });
      seqs.set(c.recordingId, withNextSeq(seqs.get(c.recordingId) ?? [], c.segment ?? 0, c.seq + 1));
    },
    deleteChunk: async (id, segment, seq) => void chunks.delete(key(id, segment, seq)),
    chunks: async () => [...chunks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c),
    putClose: async (c) => void closes.set(c.recordingId, c),
    deleteClose: async (id) => void closes.delete(id),
    closes: async () => [...closes.values()],
    beginSegment: async (id) => {
      const list = [...(seqs.get(id) ?? []), 0];
      seqs.set(id, list);
      return list.length - 1;
    },
    setNextSeq: async (id, segment, nextSeq) => void seqs.set(id, withNextSeq(seqs.get(id) ?? [], segment, nextSeq)),
    lastSeqs: async (id) => (seqs.get(id) ?? []).map((next, segment) => ({ segment, lastSeq: next - 1 })),
    forget: async (id) => void seqs.delete(id),
  };
}
