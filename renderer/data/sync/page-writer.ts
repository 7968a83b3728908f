import { type ApplyStats, type PreparedChanges, latest } from '../apply-changes';
import { type LocalDb } from '../db';
import { type BackfillProgress, type MetaRow, type OutboxRow } from '../records';

/**
 * Writes a pull page with plain IndexedDB puts, without reading each row's local version first
 * (those reads cost about as much as the writes). Skipping them is safe when, inside the write's
 * own transaction:
 *  - the stored cursor is still the one the page was requested after (no other context wrote pages);
 *  - no server record was written out of band (head, opened interaction, push answer) since just
 *    before the page was requested: anything written earlier was read from the server earlier, so
 *    it is not newer than this page's copy of it (an entity's version only grows);
 *  - nothing of the page's interactions waits in the outbox (local edits the pull must not undo);
 *  - the page holds no tombstones.
 * Otherwise the transaction is aborted (nothing written) and it returns null, and the caller applies
 * the page the careful way (`applyInTransaction`, version by version). The cursor and progress go
 * in the same transaction.
 */

export interface PageWrite {
  /** The cursor the page was requested after. */
  after: string;
  /** The page's cursor, stored with it. */
  cursor: string;
  /** `readOutOfBand` as it was just before the page was requested. */
  outOfBand: number;
  /** Backfill progress to store with the page (null once the backfill is done). */
  progress: BackfillProgress | null;
  /**
   * Hears the checks' outcome once they ran in the transaction: the out-of-band count it read, and
   * whether the page is being committed (true) or refused.
   */
  onChecked?(outcome: { outOfBand: number; passed: boolean }): void;
}

/** The out-of-band write count (see `markOutOfBandWrite`); read before requesting a page. */
export async function readOutOfBand(db: LocalDb): Promise<number> {
  return ((await db.meta.get('outOfBand'))?.value as number | undefined) ?? 0;
}

/** Interaction ids each row of the page belongs to (queues and settings belong to none). */
function interactionIds(p: PreparedChanges): Set<string> {
  const ids = new Set<string>();
  for (const r of p.interactions) ids.add(r.id);
  for (const r of p.contacts) if (r.interactionId) ids.add(r.interactionId);
  for (const r of p.messages) ids.add(r.interactionId);
  for (const r of p.notes) ids.add(r.interactionId);
  for (const r of p.wrapups) ids.add(r.interactionId);
  return ids;
}

export async function writePulledPage(db: LocalDb, p: PreparedChanges, w: PageWrite): Promise<ApplyStats | null> {
  if (p.tombstones.length > 0) return null;
  if (!db.isOpen()) await db.open();
  const rows: [string, object[]][] = [
    ['interactions', latest(p.interactions, (r) => r.id)],
    ['contacts', latest(p.contacts, (r) => r.id)],
    ['messages', latest(p.messages, (r) => r.id)],
    ['notes', latest(p.notes, (r) => r.id)],
    ['wrapups', latest(p.wrapups, (r) => r.interactionId)],
    ['queues', latest(p.queues, (r) => r.id)],
    ['settings', latest(p.settings, (r) => r.key)],
  ];
  const pageInteractions = interactionIds(p);

  const tx = db.backendDB().transaction([...db.dataTables.map((t) => t.name), db.meta.name], 'readwrite');
  let refused = false;
  const committed = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A failed put aborts the transaction; so does a refusal below, which is not an error.
    tx.onabort = () => (refused ? resolve() : reject(tx.error ?? new Error('the local database write was aborted')));
  });
  // The checks are read first and the puts go out at once behind them (requests run in order), so
  // the rows are on their way while the checks are answered; a failed check aborts it all.
  const meta = tx.objectStore(db.meta.name);
  const cursorRead = meta.get('cursor');
  const outOfBandRead = meta.get('outOfBand');
  const outboxRead = tx.objectStore(db.outbox.name).getAll();
  let written = 0;
  for (const [name, list] of rows) {
    if (list.length === 0) continue;
    const store = tx.objectStore(name);
    for (const row of list) store.put(row);
    written += list.length;
  }
  meta.put({ key: 'cursor', value: w.cursor } satisfies MetaRow);
  if (w.progress) meta.put({ key: 'backfill', value: w.progress } satisfies MetaRow);
  outboxRead.onsuccess = () => {
    const storedCursor = ((cursorRead.result as MetaRow | undefined)?.value as string | undefined) ?? '0';
    const outOfBand = ((outOfBandRead.result as MetaRow | undefined)?.value as number | undefined) ?? 0;
    const waiting = (outboxRead.result as OutboxRow[]).some((o) => pageInteractions.has(o.interactionId));
    const passed = storedCursor === w.after && outOfBand === w.outOfBand && !waiting;
    w.onChecked?.({ outOfBand, passed });
    if (passed) {
      // Every request is already issued: commit as soon as the database has run them, rather than
      // after this thread has taken each put's answer (it may be busy writing the next page).
      tx.commit();
      return;
    }
    refused = true;
    tx.abort();
  };
  await committed;
  if (refused) return null;
  return { written, skippedOlder: 0, deleted: 0, discardedOutbox: 0, retentionChanged: p.settings.length > 0 };
}
