import { type LocalDb } from './db';

/** What the Local data panel shows: counts per kind, an estimate of the size, the oldest item. */
export interface LocalDataInfo {
  counts: { interactions: number; messages: number; contacts: number; notes: number; wrapups: number; queues: number; waiting: number };
  /** Bytes used by this origin's storage (all of it: the browser reports no finer figure), or null. */
  originBytes: number | null;
  /** createdAt of the oldest interaction kept, or null. */
  oldest: string | null;
  retentionDays: number | null;
}

export async function readLocalDataInfo(db: LocalDb, storage: Pick<StorageManager, 'estimate'> | null = globalThis.navigator?.storage ?? null): Promise<LocalDataInfo> {
  const [interactions, messages, contacts, notes, wrapups, queues, waiting, oldestRow, retention] = await Promise.all([
    db.interactions.count(),
    db.messages.count(),
    db.contacts.count(),
    db.notes.count(),
    db.wrapups.count(),
    db.queues.count(),
    db.outbox.count(),
    db.interactions.orderBy('createdAt').first(),
    db.settings.get('retentionDays'),
  ]);
  let originBytes: number | null;
  try {
    originBytes = (await storage?.estimate())?.usage ?? null;
  } catch {
    originBytes = null;
  }
  return {
    counts: { interactions, messages, contacts, notes, wrapups, queues, waiting },
    originBytes,
    oldest: oldestRow?.createdAt ?? null,
    retentionDays: retention?.value ?? null,
  };
}
