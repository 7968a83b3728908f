/**
 * Every IndexedDB database the agent app keeps, in one place: names, versions, stores and
 * indexes, all opened with Dexie (local-db.ts, recorder-db.ts, keys-db.ts).
 *
 * Versions are Dexie versions: Dexie opens a native IndexedDB version v as Dexie version v/10, so
 * a database first written with raw IndexedDB keeps its native number here divided by ten, and
 * its store names and key paths exactly as they were, so what an older app stored stays readable.
 */

export interface DatabaseDeclaration {
  /** Dexie version (native IndexedDB version / 10). */
  version: number;
  /** Dexie's schema syntax: the primary key first ('' = out-of-line keys, '[a+b]' = compound, '++' = auto), then indexes. */
  stores: Readonly<Record<string, string>>;
}

/**
 * The encrypted local cache and sync state of one signed-in user on one server
 * (`veildesk-data:<user>@<host>`, see data/db.ts). Indexes exist only for what is queried:
 * history newest first and retention (interactions.createdAt), an interaction's transcript
 * ([interactionId+seq]), its notes, contact and outbox entries (interactionId), outbox order (seq)
 * and a mutation by id. Version 2 added chatOutbox: the agent's chat messages not yet acknowledged
 * (by clientMsgId; an interaction's, to resend after a reload).
 */
export const LOCAL_DATA_DB = {
  prefix: 'veildesk-data:',
  version: 2,
  stores: {
    interactions: 'id, createdAt',
    messages: 'id, [interactionId+seq]',
    contacts: 'id, interactionId',
    notes: 'id, interactionId',
    wrapups: 'interactionId',
    queues: 'id',
    settings: 'key',
    outbox: '++seq, &mutationId, interactionId',
    chatOutbox: 'clientMsgId, interactionId',
    problems: '++id',
    meta: 'key',
  },
} as const satisfies DatabaseDeclaration & { prefix: string };

/**
 * Recorded call audio waiting for upload (media/recorder/chunk-queue.ts), one per browser profile.
 * Written with raw IndexedDB up to native version 2: chunks by (recording, segment, seq), closes
 * by recording, and per recording (out-of-line key) the next seq of each segment.
 */
export const RECORDER_DB = {
  name: 'veildesk-recorder',
  version: 0.2,
  stores: {
    chunks: '[recordingId+segment+seq]',
    closes: 'recordingId',
    seqs: '',
  },
} as const satisfies DatabaseDeclaration & { name: string };

/** The web build's non-extractable local data keys, by scope (data/crypto/local-key.ts). */
export const KEYS_DB = {
  name: 'veildesk-keys',
  version: 1,
  stores: { keys: 'scope' },
} as const satisfies DatabaseDeclaration & { name: string };

/** Where the databases live: the page's IndexedDB unless a test (or the sync worker's host) injects one. */
export interface IdbEnv {
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

/** Dexie's options for an injected IndexedDB. No query cache: nothing here needs one (see LocalDb for why it hurts). */
export function dexieOptions(env: IdbEnv = {}): { cache: 'disabled'; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } {
  return { cache: 'disabled', ...(env.indexedDB ? { indexedDB: env.indexedDB, IDBKeyRange: env.IDBKeyRange ?? globalThis.IDBKeyRange } : {}) };
}
