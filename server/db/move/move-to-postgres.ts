import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../database';
import { copyOrder, type SourceTable } from './copy-order';

/**
 * Moves an existing SQLite install to PostgreSQL (`npm run db:move-to-postgres`, issue 18): the
 * SQLite file is brought to the current schema, the target gets the same schema, and every table is
 * copied inside one PostgreSQL transaction, parents before children, with the database-numbered ids'
 * sequences moved past the copied ids. A target that already holds data is refused before anything
 * is written. Afterwards row counts are compared table by table and the caller checks the audit chain
 * on the target. The SQLite file is read, never changed beyond its migrations.
 */

export interface MoveProgress {
  table: string;
  copied: number;
  total: number;
  /** Rows copied over all tables so far, and in all. */
  allCopied: number;
  allTotal: number;
}

export interface MovedTable {
  table: string;
  sourceRows: number;
  targetRows: number;
}

export interface MoveResult {
  tables: MovedTable[];
  rows: number;
}

export class MoveRefused extends Error {}

const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock']);
/** PostgreSQL takes at most 65,535 parameters per statement; rows are sent in batches under that. */
const MAX_PARAMETERS = 30_000;

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

export async function moveSqliteToPostgres(opts: {
  dataDir: string;
  targetUrl: string;
  onProgress?: (p: MoveProgress) => void;
  onStep?: (message: string) => void;
}): Promise<MoveResult> {
  const file = path.join(opts.dataDir, 'veildesk.sqlite');
  if (!fs.existsSync(file)) throw new MoveRefused(`No SQLite database at ${file}: pass --data-dir with the directory the server uses (VEILDESK_DATA_DIR).`);
  const step = opts.onStep ?? (() => undefined);

  step('bringing the SQLite database to the current schema');
  const sourceDb = openDatabase({ dataDir: opts.dataDir });
  try {
    await migrateToLatest(sourceDb);
  } finally {
    await sourceDb.close();
  }

  const target = openDatabase({ dataDir: opts.dataDir, databaseUrl: opts.targetUrl });
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = sourceTables(source);
    await refuseNonEmpty(target, tables);
    step('creating the schema on PostgreSQL');
    await migrateToLatest(target);
    const targetColumns = await postgresColumns(target);
    const allTotal = tables.reduce((n, t) => n + t.rows, 0);
    step(`copying ${tables.length} tables, ${allTotal} rows`);

    let allCopied = 0;
    // One read transaction on SQLite (a consistent snapshot even if something writes meanwhile) and
    // one write transaction on PostgreSQL (all or nothing).
    source.prepare('begin').run();
    try {
      await target.kysely.transaction().execute(async (trx) => {
        const k = trx as unknown as AnyDb;
        for (const name of SEEDED_BY_MIGRATIONS) await k.deleteFrom(name).execute();
        // The schema's own triggers (the reports' rollup marks) would write derived rows while the
        // copy brings the source's: off for this transaction (the migrating role owns the tables),
        // on again before it commits. Foreign keys stay checked.
        for (const t of tables) await sql`alter table ${sql.table(t.name)} disable trigger user`.execute(trx);
        for (const t of tables) {
          const columns = targetColumns.get(t.name);
          if (!columns) throw new Error(`Table ${t.name} is not in the PostgreSQL schema; is the SQLite file from a newer Veildesk than this one?`);
          const missing = t.columns.filter((c) => !columns.has(c));
          if (missing.length) throw new Error(`Columns ${missing.join(', ')} of ${t.name} are not in the PostgreSQL schema.`);
          const batch = Math.max(1, Math.floor(MAX_PARAMETERS / t.columns.length));
          let copied = 0;
          let rows: Record<string, unknown>[] = [];
          const flush = async () => {
            if (rows.length === 0) return;
            await k.insertInto(t.name).values(rows).execute();
            copied += rows.length;
            allCopied += rows.length;
            rows = [];
            opts.onProgress?.({ table: t.name, copied, total: t.rows, allCopied, allTotal });
          };
          // A table pointing at itself goes in rowid order, parents first as they were inserted.
          const order = t.parents.includes(t.name) ? ' order by rowid' : '';
          for (const row of source.prepare(`select * from "${t.name}"${order}`).iterate() as IterableIterator<Record<string, unknown>>) {
            rows.push(row);
            if (rows.length >= batch) await flush();
          }
          await flush();
          if (t.rows === 0) opts.onProgress?.({ table: t.name, copied: 0, total: 0, allCopied, allTotal });
        }
        await moveSequences(trx as unknown as Kysely<unknown>);
        for (const t of tables) await sql`alter table ${sql.table(t.name)} enable trigger user`.execute(trx);
      });
    } finally {
      source.prepare('rollback').run();
    }

    step('comparing row counts');
    const moved: MovedTable[] = [];
    for (const t of tables) {
      const sourceRows = (source.prepare(`select count(*) as n from "${t.name}"`).get() as { n: number }).n;
      const targetRows = await countRows(target, t.name);
      moved.push({ table: t.name, sourceRows, targetRows });
    }
    const wrong = moved.filter((m) => m.sourceRows !== m.targetRows);
    if (wrong.length) throw new Error(`Row counts differ after the copy: ${wrong.map((w) => `${w.table} ${w.sourceRows} → ${w.targetRows}`).join(', ')}; drop the target database, create it empty and run again.`);
    return { tables: moved, rows: allCopied };
  } finally {
    source.close();
    await target.close();
  }
}

function sourceTables(source: SQLite.Database): SourceTable[] {
  const names = (source.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !SKIPPED.has(n));
  const tables = names.map((name): SourceTable => {
    const columns = (source.pragma(`table_info("${name}")`) as { name: string }[]).map((c) => c.name);
    const parents = (source.pragma(`foreign_key_list("${name}")`) as { table: string }[]).map((f) => f.table);
    const rows = (source.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
    return { name, columns, parents, rows };
  });
  return copyOrder(tables);
}

async function countRows(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db.kysely);
  return Number(rows[0]?.n ?? 0);
}

/** Refuses when any of the tables to copy already has a row on the target (before its migrations run). */
async function refuseNonEmpty(target: Db, tables: readonly SourceTable[]): Promise<void> {
  const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(target.kysely);
  const existing = new Set(rows.map((r) => r.table_name));
  const filled: string[] = [];
  for (const t of tables) {
    if (!existing.has(t.name)) continue;
    if ((await countRows(target, t.name)) > 0) filled.push(t.name);
  }
  const data = filled.filter((name) => !SEEDED_BY_MIGRATIONS.has(name));
  if (data.length) {
    throw new MoveRefused(`The PostgreSQL database already holds data (${data.join(', ')}); nothing was written. Move into a new, empty database (createdb veildesk).`);
  }
}

/** Tables the migrations themselves fill (a counter row): a migrated but unused target has them, and the copy replaces them. */
const SEEDED_BY_MIGRATIONS = new Set(['sync_counter']);

async function postgresColumns(target: Db): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(target.kysely);
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    let set = out.get(r.table_name);
    if (!set) out.set(r.table_name, (set = new Set()));
    set.add(r.column_name);
  }
  return out;
}

/** Every identity or serial column's sequence moves past the largest copied id. */
async function moveSequences(k: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and (is_identity = 'YES' or column_default like 'nextval(%')`.execute(k);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(k);
  }
}
