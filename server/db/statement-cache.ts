import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Hands Kysely a better-sqlite3 database whose prepared statements are reused by SQL text.
 * Kysely prepares every query anew; preparing costs more than running a small query, and the hot
 * paths (chat messages, timeline events) repeat the same few statements thousands of times.
 * Safe: Kysely's SQLite driver runs one query at a time on its single connection.
 */
export function withStatementCache(db: SQLite.Database, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) return hit;
      const statement = db.prepare(sql) as unknown as SqliteStatement;
      // Statements with many distinct texts (e.g. IN lists) must not grow the cache without bound.
      if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
      return statement;
    },
  };
}
