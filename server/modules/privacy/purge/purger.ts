import { sql, type Kysely } from 'kysely';
import type { StoreResult } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import type { Database } from '../../../db/schema';
import type { ModuleDataMap } from '../../../kernel/data-map';
import type { AuditActor } from '../../audit/audit-log';
import type { ChangeInput, ChangeLog } from '../../sync/change-log';
import { DATA_MAP } from '../data-map';
import { planPurge, type PurgeClass, type PurgeTarget } from './purge-plan';

/** Ids per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/**
 * Files (or objects) kept outside the database for an interaction, e.g. recordings' audio. The
 * owning module implements it; the purger asks for the keys before the rows go, removes the rows,
 * then the files.
 */
export interface PurgeFileStore {
  /** The store's name in reports (a data-map file entry). */
  store: string;
  /** Which retention class removes these files. */
  retention: PurgeClass;
  /** Keys of the files the interactions have (read before their rows are deleted). */
  keysFor(db: Kysely<Database>, interactionIds: readonly string[]): Promise<string[]>;
  /** Removes every byte under the key; nothing there is fine. */
  remove(key: string): Promise<void>;
}

export interface PurgeOptions {
  /** Who asked (null: the server itself, e.g. retention or a child-protected call ending); the caller audits with the report. */
  actor: AuditActor | null;
  /** Why, in one word (`erase`, `retention`, `child_protected`, a request id): for the caller's audit entry and logs. */
  reason: string;
  /**
   * Tombstone every synced record of the interactions (the interaction itself included), so apps
   * drop it from their lists. Default: when the `interactions` class is purged.
   */
  dropFromCaches?: boolean;
}

export interface PurgeReport {
  interactionIds: readonly string[];
  classes: readonly PurgeClass[];
  /** Per store (table, file store, `sync_changes` for tombstones): rows or files found and removed. */
  stores: StoreResult[];
  /** Whether the database files hold no old copies any more (false: a reader held the WAL; the next scrub does it). */
  scrubbed: boolean;
}

/**
 * Removes what interactions keep, per retention class, everywhere the data map says it is: rows
 * (deleted or cleared, per each table's erase rule), files (through their module's store) and every
 * copy in agents' local caches (tombstones with reason `erased` through the sync change log). Stores
 * other modules add reach it with no code change: a table with find.interactionColumn, an erase
 * rule and a retention class is purged by that class.
 *
 * Used by the admin's erase of one interaction (sync/erasure.ts), privacy erase requests and the
 * retention job. The caller audits what it did with the report (ids and counts only), makes sure
 * no interaction is live and serialises with the interactions queue when it must: the purger does
 * not look. After a purge SQLite's WAL is checkpointed and truncated (with secure_delete on, the
 * freed bytes are zeros): erased words do not stay in the files.
 */
export class Purger {
  private readonly map: readonly ModuleDataMap[];

  constructor(
    private readonly deps: {
      db: Db;
      log: ChangeLog;
      files?: readonly PurgeFileStore[];
      map?: readonly ModuleDataMap[];
      now?: () => Date;
    },
  ) {
    this.map = deps.map ?? DATA_MAP;
  }

  /** Store names a purge of these classes reaches, in the order it reports them (for zero counts in receipts). */
  stores(classes: readonly PurgeClass[]): string[] {
    const tables = planPurge(this.map, classes).map((t) => t.table);
    const files = (this.deps.files ?? []).filter((f) => classes.includes(f.retention)).map((f) => f.store);
    return [...tables, ...files, 'sync_changes'];
  }

  /**
   * Purges the classes' data of the interactions (any number of ids, 500 per transaction; unknown
   * ids are skipped) and reports per store what it found and removed (counted once committed), then
   * scrubs the database files so the removed bytes leave them.
   */
  async purge(interactionIds: readonly string[], classes: readonly PurgeClass[], opts: PurgeOptions): Promise<PurgeReport> {
    const ids = [...new Set(interactionIds)];
    const targets = planPurge(this.map, classes);
    const files = (this.deps.files ?? []).filter((f) => classes.includes(f.retention));
    const totals = new Map<string, StoreResult>(this.stores(classes).map((s) => [s, { store: s, found: 0, done: 0 }]));
    const add = (store: string, found: number, done: number) => {
      const t = totals.get(store) ?? { store, found: 0, done: 0 };
      t.found += found;
      t.done += done;
      totals.set(store, t);
    };
    const drop = opts.dropFromCaches ?? classes.includes('interactions');
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const keys = new Map<PurgeFileStore, string[]>();
      const counted: [string, number, number][] = [];
      await this.deps.db.kysely.transaction().execute(async (trx) => {
        for (const f of files) keys.set(f, await f.keysFor(trx, chunk));
        const changes: ChangeInput[] = [];
        for (const target of targets) {
          const { found, done, tombstones } = await this.purgeTable(trx, target, chunk);
          counted.push([target.table, found, done]);
          changes.push(...tombstones);
        }
        changes.push(...(await this.interactionRecords(trx, chunk, classes, drop, changes)));
        await this.deps.log.record(trx, changes, this.now());
        counted.push(['sync_changes', changes.length, changes.length]);
      });
      for (const [store, found, done] of counted) add(store, found, done);
      for (const [f, list] of keys) {
        for (const key of list) await f.remove(key);
        add(f.store, list.length, list.length);
      }
    }
    const stores = [...totals.values()];
    const scrubbed = await this.scrub();
    return { interactionIds: ids, classes: [...classes], stores, scrubbed };
  }

  /**
   * Makes deleted bytes leave the files: on SQLite, a WAL checkpoint that truncates the WAL (the
   * connection runs with secure_delete, so freed pages and cells are zeros). On PostgreSQL dead
   * tuples stay until VACUUM (docs/operations.md). False when it could not now: the purge itself
   * stands; the next scrub, the background checkpoints or the server's stop finish it.
   */
  async scrub(): Promise<boolean> {
    return this.deps.db.scrub().catch(() => false);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async purgeTable(db: Kysely<Database>, target: PurgeTarget, ids: string[]): Promise<{ found: number; done: number; tombstones: ChangeInput[] }> {
    const { link, action } = target;
    const table = sql.table(target.table);
    const list = sql.join(ids);
    // Table and column names come from the data map (checked against the schema by a test), never from input.
    const match =
      link.kind === 'direct'
        ? sql`${sql.ref(link.column)} in (${list})`
        : sql`${sql.ref(link.fk)} in (select id from ${sql.table(link.parent)} where ${sql.ref(link.parentColumn)} in (${list}))`;
    if (action.kind === 'clear') {
      const filled = sql.join(action.columns.map((c) => sql`${sql.ref(c)} is not null`), sql` or `);
      const found = await sql<{ n: number | string }>`select count(*) as n from ${table} where ${match} and (${filled})`.execute(db);
      const n = Number(found.rows[0]?.n ?? 0);
      if (n > 0) await sql`update ${table} set ${sql.join(action.columns.map((c) => sql`${sql.ref(c)} = null`))} where ${match} and (${filled})`.execute(db);
      return { found: n, done: n, tombstones: [] };
    }
    let tombstones: ChangeInput[] = [];
    if (target.syncKind && link.kind === 'direct') {
      const rows = await sql<{ id: string; iid: string }>`select id, ${sql.ref(link.column)} as iid from ${table} where ${match}`.execute(db);
      const kind = target.syncKind as ChangeInput['kind'];
      tombstones = rows.rows.map((r) => ({ kind, entityId: String(r.id), interactionId: r.iid, op: 'tombstone', reason: 'erased' }));
    }
    const result = await sql`delete from ${table} where ${match}`.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    return { found: n, done: n, tombstones };
  }

  /**
   * The records synced from the interactions row itself (interaction, contact, wrap-up) and, when
   * dropping from caches, every other record of the interactions still in the log (kinds other
   * branches add included): tombstones, so each app removes its copy.
   */
  private async interactionRecords(trx: Kysely<Database>, ids: string[], classes: readonly PurgeClass[], drop: boolean, already: readonly ChangeInput[]): Promise<ChangeInput[]> {
    const done = new Set(already.map((c) => `${c.kind}:${c.entityId}`));
    const out: ChangeInput[] = [];
    const push = (c: ChangeInput) => {
      const key = `${c.kind}:${c.entityId}`;
      if (done.has(key)) return;
      done.add(key);
      out.push(c);
    };
    const rows = await trx.selectFrom('interactions').select(['id', 'wrapup_at']).where('id', 'in', ids).execute();
    for (const row of rows) {
      const erased = (kind: ChangeInput['kind'], entityId = row.id): ChangeInput => ({ kind, entityId, interactionId: row.id, op: 'tombstone', reason: 'erased' });
      if (classes.includes('contacts')) push(erased('contact'));
      if (row.wrapup_at && classes.includes('transcripts')) push(drop ? erased('wrapup') : { kind: 'wrapup', entityId: row.id, interactionId: row.id, op: 'upsert' });
      if (drop) push(erased('interaction'));
    }
    if (drop) {
      const left = await trx.selectFrom('sync_changes').select(['kind', 'entity_id', 'interaction_id']).where('interaction_id', 'in', ids).where('op', '=', 'upsert').execute();
      for (const r of left) push({ kind: r.kind, entityId: r.entity_id, interactionId: r.interaction_id, op: 'tombstone', reason: 'erased' });
    }
    return out;
  }
}
