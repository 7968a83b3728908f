import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database';
import type { Database } from './schema';

/**
 * Serialises the transactions that name the same key, until the calling transaction ends. For a
 * read-then-write that must not run twice at once (exactly-once handling, a chain's head).
 * SQLite: nothing to do, one writer at a time already. PostgreSQL: a transaction-scoped advisory
 * lock on the key's hash (a hash collision only serialises two unrelated keys, never breaks one).
 */
export async function lockKey(trx: Kysely<Database>, dialect: DialectName, key: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
}
