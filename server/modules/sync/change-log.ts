import type { Kysely } from 'kysely';
import { ReusableInsert } from '../../db/reusable-insert';
import type { Database, SyncChangesTable } from '../../db/schema';

/** Every chat message adds a row: the statement is built once per row count. */
const insertChangeRows = new ReusableInsert<'sync_changes', SyncChangesTable>('sync_changes', ['seq', 'kind', 'entity_id', 'interaction_id', 'op', 'version', 'reason', 'at']);

/** The database or an open transaction: change-log writes always join the caller's transaction. */
export type Executor = Kysely<Database>;

export interface ChangeInput {
  kind: SyncChangesTable['kind'];
  entityId: string;
  interactionId: string | null;
  op: 'upsert' | 'tombstone';
  reason?: 'deleted' | 'erased';
  /** A new entity (new id): skip looking for an earlier row to replace. */
  fresh?: boolean;
}

/** Which interactions (null: org-wide) got new log rows; the nudger turns this into WS frames. */
export type ChangeListener = (interactionIds: ReadonlySet<string | null>) => void;

/**
 * The change log. Every write of a synced entity records a row here in the writer's transaction:
 * the entity's previous row is replaced, so the log holds one row per entity at the position of
 * its last change and a pull never walks over superseded states.
 */
export class ChangeLog {
  private readonly listeners = new Set<ChangeListener>();

  onChange(listener: ChangeListener): void {
    this.listeners.add(listener);
  }

  /** Hands out `count` fresh positions; returns the first. Positions are never reused. */
  async allocate(trx: Executor, count: number): Promise<number> {
    await trx.updateTable('sync_counter').set((eb) => ({ last_seq: eb('last_seq', '+', count) })).where('singleton', '=', 1).execute();
    const row = await trx.selectFrom('sync_counter').select('last_seq').where('singleton', '=', 1).executeTakeFirstOrThrow();
    return Number(row.last_seq) - count + 1;
  }

  /** Records the changes (in order) and returns each one's new version. */
  async record(trx: Executor, changes: readonly ChangeInput[], at: Date): Promise<number[]> {
    if (changes.length === 0) return [];
    if (new Set(changes.map((c) => `${c.kind}:${c.entityId}`)).size !== changes.length) throw new Error('sync: an entity appears twice in one change-log write');
    let seq = await this.allocate(trx, changes.length);
    const versions: number[] = [];
    const rows: SyncChangesTable[] = [];
    for (const change of changes) {
      if (!change.fresh) await trx.deleteFrom('sync_changes').where('kind', '=', change.kind).where('entity_id', '=', change.entityId).execute();
      rows.push({ seq, kind: change.kind, entity_id: change.entityId, interaction_id: change.interactionId, op: change.op, version: seq, reason: change.reason ?? null, at: at.toISOString() });
      versions.push(seq);
      seq += 1;
    }
    // One statement per 100 rows (8 columns each: far below SQLite's parameter limit).
    await insertChangeRows.execute(trx, rows);
    this.emit(new Set(changes.map((c) => c.interactionId)));
    return versions;
  }

  /**
   * Lets the user sync the interaction from now on. A new grant moves the interaction's rows to
   * fresh positions (versions unchanged), so a user whose cursor is already past them gets them.
   */
  async grant(trx: Executor, userId: string, interactionId: string, at: Date): Promise<void> {
    const existing = await trx.selectFrom('sync_access').select('user_id').where('user_id', '=', userId).where('interaction_id', '=', interactionId).executeTakeFirst();
    if (existing) return;
    const interaction = await trx.selectFrom('interactions').select('created_at').where('id', '=', interactionId).executeTakeFirstOrThrow();
    await trx.insertInto('sync_access').values({ user_id: userId, interaction_id: interactionId, granted_at: at.toISOString(), created_at: interaction.created_at }).execute();
    await this.moveForward(trx, interactionId);
  }

  /**
   * Moves every row of the interaction to fresh positions (versions unchanged), so each user whose
   * cursor is past them reads them again: after a grant, or after who may see it changed (a sensitive mark).
   */
  async moveForward(trx: Executor, interactionId: string): Promise<void> {
    const rows = await trx.selectFrom('sync_changes').select('seq').where('interaction_id', '=', interactionId).orderBy('seq').execute();
    if (rows.length === 0) return;
    let seq = await this.allocate(trx, rows.length);
    for (const row of rows) {
      await trx.updateTable('sync_changes').set({ seq }).where('seq', '=', row.seq).execute();
      seq += 1;
    }
    this.emit(new Set([interactionId]));
  }

  /** The last position handed out. */
  async head(db: Executor): Promise<number> {
    const row = await db.selectFrom('sync_counter').select('last_seq').where('singleton', '=', 1).executeTakeFirst();
    return Number(row?.last_seq ?? 0);
  }

  private emit(ids: ReadonlySet<string | null>): void {
    for (const listener of this.listeners) listener(ids);
  }
}
