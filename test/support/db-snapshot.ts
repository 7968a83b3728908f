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
