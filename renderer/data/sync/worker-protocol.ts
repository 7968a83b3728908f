/** Messages between the page and the sync worker (sync-worker.ts). Same-origin, structured clone. */

export interface SyncWorkerStart {
  type: 'start';
  dbName: string;
  /** Non-extractable AES-GCM key: structured clone hands the worker the key, never its bytes. */
  key: CryptoKey;
  serverUrl: string;
  token: string;
  lockName: string;
}

export type SyncWorkerCommand = SyncWorkerStart | { type: 'nudge'; cursor?: string } | { type: 'online' } | { type: 'stop' };

export type SyncWorkerEvent = { type: 'unauthenticated' } | { type: 'leader'; leading: boolean } | { type: 'log'; message: string; detail?: string };
