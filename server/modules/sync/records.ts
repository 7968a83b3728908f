import type { SyncChange, SyncTombstone } from '../../../shared/api/sync';
import type { SyncChangesTable } from '../../db/schema';
import type { Executor } from './change-log';
import { toChanges } from './entity-reader';

/** The current change records of an interaction's entities of these kinds (tombstones included). */
export async function recordsOf(db: Executor, interactionId: string, kinds: SyncChangesTable['kind'][]): Promise<SyncChange[]> {
  const rows = await db
    .selectFrom('sync_changes')
    .select(['seq', 'kind', 'entity_id', 'interaction_id', 'op', 'version', 'reason'])
    .where('interaction_id', '=', interactionId)
    .orderBy('seq')
    .execute();
  // Kinds filtered here: a kind condition in SQL makes SQLite scan the (kind, entity_id) index.
  return toChanges(
    db,
    rows.filter((r) => kinds.includes(r.kind)),
  );
}

/** The current change record of one entity, or undefined when it never existed. */
export async function recordOf(db: Executor, kind: SyncChangesTable['kind'], entityId: string): Promise<SyncChange | undefined> {
  const rows = await db
    .selectFrom('sync_changes')
    .select(['seq', 'kind', 'entity_id', 'interaction_id', 'op', 'version', 'reason'])
    .where('kind', '=', kind)
    .where('entity_id', '=', entityId)
    .execute();
  return (await toChanges(db, rows))[0];
}

export function isTombstone(change: SyncChange | undefined): change is SyncTombstone {
  return change?.op === 'tombstone';
}
