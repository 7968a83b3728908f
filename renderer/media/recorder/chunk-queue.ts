import { type RecorderDb, type RecorderSeqRow, openRecorderDb } from '../../data/idb/recorder-db';

/**
 * Recording chunks (and close requests) waiting for upload, kept in IndexedDB so they survive a
 * lost connection and a reload: the recorder's database of data/idb (RECORDER_DB), over Dexie.
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
  /** With seq 0: when its MediaRecorder started (epoch ms, this machine's clock); the upload says how long ago. */
  mediaStartedAt?: number;
  /** Where to upload. */
  serverUrl: string;
  /**
   * Who recorded it: it is uploaded only with that user's session and kept while anyone else is
   * signed in. Absent in chunks queued before owners were kept: any session of the server then.
   */
  userId?: string;
}

/** What says whose a chunk or close is, readable without its key. */
export type QueuedOwner = Pick<QueuedChunk, 'recordingId' | 'serverUrl' | 'userId'>;

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
  /** Who recorded it (see QueuedChunk.userId). */
  userId?: string;
}

export interface ChunkQueue {
  /**
   * Keeps a chunk and, in the same write, notes that its segment handed out seqs up to it: a page
   * that unloads mid-write keeps both or neither, so the close never announces a chunk that is gone.
   */
  putChunk(chunk: QueuedChunk): Promise<void>;
  deleteChunk(recordingId: string, segment: number, seq: number): Promise<void>;
  /** Every waiting chunk (only those `which` accepts, looked at before their audio is read), by recording, segment and seq. */
  chunks(which?: (owner: QueuedOwner) => boolean): Promise<QueuedChunk[]>;
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
  /**
   * The user's explicit local-data wipe: every chunk and close this user recorded for this server
   * goes, with their recordings' segment counts. Returns how many chunks went.
   */
  deleteUser(userId: string, serverUrl: string): Promise<number>;
}

/** Per recording: the next seq of each segment, by index (native version 1 kept one number). */
type SeqRecord = RecorderSeqRow | undefined;
const segmentsOf = (record: SeqRecord): number[] => (Array.isArray(record) ? record : typeof record === 'number' ? [record] : []);

/** The segments' next seqs once `segment` handed out seqs below `nextSeq` (never lowered). */
function withNextSeq(segments: number[], segment: number, nextSeq: number): number[] {
  const out = [...segments];
  while (out.length <= segment) out.push(0);
  out[segment] = Math.max(out[segment] ?? 0, nextSeq);
  return out;
}

/** The IndexedDB queue; `indexedDB` (and its key range, which Dexie needs) are injectable for tests. */
export function indexedDbChunkQueue(idb: IDBFactory = globalThis.indexedDB, keyRange: typeof IDBKeyRange = globalThis.IDBKeyRange): ChunkQueue {
  let opened: Promise<RecorderDb> | null = null;
  const db = () => {
    opened ??= openRecorderDb({ indexedDB: idb, IDBKeyRange: keyRange }).catch((err: unknown) => {
      opened = null;
      throw err;
    });
    return opened;
  };
  /** Read-modify-write of one recording's segments in one transaction (two windows cannot interleave). */
  const updateSeqs = async (recordingId: string, change: (segments: number[]) => number[]) => {
    const d = await db();
    return d.transaction('rw', d.seqs, async () => {
      const next = change([...segmentsOf(await d.seqs.get(recordingId))]);
      await d.seqs.put(next, recordingId);
      return next;
    });
  };
  /** The chunk and its segment's next seq in one transaction. */
  const putChunk = async (chunk: QueuedChunk): Promise<void> => {
    const c = { ...chunk, segment: chunk.segment ?? 0 };
    const d = await db();
    await d.transaction('rw', d.chunks, d.seqs, async () => {
      await d.chunks.put(c);
      await d.seqs.put(withNextSeq(segmentsOf(await d.seqs.get(c.recordingId)), c.segment, c.seq + 1), c.recordingId);
    });
  };
  return {
    putChunk,
    deleteChunk: async (recordingId, segment, seq) => (await db()).chunks.delete([recordingId, segment, seq]),
    chunks: async (which) => {
      const d = await db();
      return which ? d.chunks.filter((c) => which(c)).toArray() : d.chunks.toArray();
    },
    putClose: async (close) => void (await (await db()).closes.put(close)),
    deleteClose: async (recordingId) => (await db()).closes.delete(recordingId),
    closes: async () => (await db()).closes.toArray(),
    beginSegment: async (recordingId) => (await updateSeqs(recordingId, (segments) => [...segments, 0])).length - 1,
    setNextSeq: async (recordingId, segment, nextSeq) => void (await updateSeqs(recordingId, (segments) => withNextSeq(segments, segment, nextSeq))),
    lastSeqs: async (recordingId) => segmentsOf(await (await db()).seqs.get(recordingId)).map((next, segment) => ({ segment, lastSeq: next - 1 })),
    forget: async (recordingId) => (await db()).seqs.delete(recordingId),
    deleteUser: async (userId, serverUrl) => {
      const d = await db();
      const mine = (c: { userId?: string; serverUrl: string }) => c.userId === userId && c.serverUrl === serverUrl;
      return d.transaction('rw', d.chunks, d.closes, d.seqs, async () => {
        const chunkKeys = (await d.chunks.filter(mine).toArray()).map((c) => [c.recordingId, c.segment, c.seq] as [string, number, number]);
        const closes = await d.closes.filter(mine).toArray();
        const recordings = new Set([...chunkKeys.map(([id]) => id), ...closes.map((c) => c.recordingId)]);
        await d.chunks.bulkDelete(chunkKeys);
        await d.closes.bulkDelete(closes.map((c) => c.recordingId));
        await d.seqs.bulkDelete([...recordings]);
        return chunkKeys.length;
      });
    },
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
    chunks: async (which) =>
      [...chunks.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, c]) => c)
        .filter((c) => !which || which(c)),
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
    deleteUser: async (userId, serverUrl) => {
      let count = 0;
      for (const [k, c] of chunks) {
        if (c.userId !== userId || c.serverUrl !== serverUrl) continue;
        chunks.delete(k);
        seqs.delete(c.recordingId);
        count += 1;
      }
      for (const [id, c] of closes) {
        if (c.userId !== userId || c.serverUrl !== serverUrl) continue;
        closes.delete(id);
        seqs.delete(id);
      }
      return count;
    },
  };
}
