import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/db/database';

/** Per table: its row count and a hash of its rows (order-independent). */
export type DbSnapshot = Record<string, { rows: number; hash: string }>;

/**
 * Everything stored, reduced to counts and hashes, on SQLite and PostgreSQL alike: two equal
 * snapshots mean no row was added, removed or changed in any table. Fuzz tests take one before
 * and after a batch of refused requests.
 */
export async function snapshotDb(db: Db): Promise<DbSnapshot> {
  const tables = (await db.kysely.introspection.getTables()).map((t) => t.name).sort();
  const snapshot: DbSnapshot = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db.kysely);
    const lines = rows.map((row) => stableJson(row)).sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(line).update('\n');
    snapshot[table] = { rows: rows.length, hash: hash.digest('hex').slice(0, 16) };
  }
  return snapshot;
}

function stableJson(row: Record<string, unknown>): string {
  const keys = Object.keys(row).sort();
  return JSON.stringify(keys.map((key) => {
    const value = row[key];
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'bigint') return value.toString();
    return value;
  }));
}

/** The tables whose snapshot differs, with before/after, for a failure message. */
export function snapshotDiff(before: DbSnapshot, after: DbSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const name of names) {
    const a = before[name];
    const b = after[name];
    if (a?.rows !== b?.rows || a?.hash !== b?.hash) changed.push(`${name}: ${a?.rows ?? '-'} rows → ${b?.rows ?? '-'} rows${a?.rows === b?.rows ? ' (rows changed)' : ''}`);
  }
  return changed;
}

/**
 * Waits until the server's background work has caught up, so a snapshot taken next changes only
 * through the requests that follow: privacy requests still running (they write their progress and
 * audit entries), and hours the reports' rollup has yet to rebuild (it does every 2 s).
 */
export async function backgroundSettled(db: Db, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows: running } = await sql<{ n: number | string }>`select count(*) as n from privacy_requests where status not in ('completed', 'failed')`.execute(db.kysely);
    const { rows: dirty } = await sql<{ n: number | string }>`select count(*) as n from report_rollup_dirty`.execute(db.kysely);
    if (Number(running[0]?.n) === 0 && Number(dirty[0]?.n) === 0) return;
    if (Date.now() > deadline) throw new Error(`background work did not settle in ${timeoutMs} ms (privacy requests running: ${running[0]?.n}, rollup hours waiting: ${dirty[0]?.n})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
