import Dexie, { type Table } from 'dexie';
import { type IdbEnv, RECORDER_DB, dexieOptions } from './databases';
import { upgradeRecorderV1 } from './recorder-v1-upgrade';

/** A queued chunk as stored (the queue's own type is media/recorder/chunk-queue.ts's QueuedChunk). */
export interface RecorderChunkRow {
  recordingId: string;
  segment: number;
  seq: number;
  data: ArrayBuffer;
  sealed?: boolean;
  serverUrl: string;
}

export interface RecorderCloseRow {
  recordingId: string;
  segments?: { segment: number; lastSeq: number }[];
  lastSeq?: number;
  serverUrl: string;
}

/** Per recording: the next seq of each segment, by index (native version 1 kept one number). */
export type RecorderSeqRow = number[] | number;

/** The recorder's upload queue (RECORDER_DB). */
export class RecorderDb extends Dexie {
  chunks!: Table<RecorderChunkRow, [string, number, number]>;
  closes!: Table<RecorderCloseRow, string>;
  seqs!: Table<RecorderSeqRow, string>;

  constructor(env: IdbEnv = {}) {
    super(RECORDER_DB.name, dexieOptions(env));
    this.version(RECORDER_DB.version).stores(RECORDER_DB.stores);
  }
}

/**
 * Opens the queue. A queue of the first layout (native version 1, before segments) changes its
 * chunks' primary key on the way to version 2, which Dexie cannot do: that one upgrade runs as
 * the old code ran it (recorder-v1-upgrade.ts), then Dexie opens the result.
 */
export async function openRecorderDb(env: IdbEnv = {}): Promise<RecorderDb> {
  const db = new RecorderDb(env);
  try {
    await db.open();
    return db;
  } catch (err) {
    db.close();
    if (!(err instanceof Error && err.name === Dexie.errnames.Upgrade)) throw err;
  }
  await upgradeRecorderV1(env.indexedDB ?? globalThis.indexedDB);
  const upgraded = new RecorderDb(env);
  await upgraded.open();
  return upgraded;
}
