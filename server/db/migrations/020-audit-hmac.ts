import { sql, type Kysely } from 'kysely';

// Issue 17: the audit chain becomes HMAC-keyed. Each entry says which scheme made its hash
// (1: SHA-256 over the entry, as before; 2: HMAC-SHA256 with the install's audit key), and the head
// remembers the last unkeyed entry, so an entry after it written the old way is not accepted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('scheme', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('audit_head').addColumn('unkeyed_through', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update audit_head set unkeyed_through = last_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_head').dropColumn('unkeyed_through').execute();
  await db.schema.alterTable('audit_log').dropColumn('scheme').execute();
}
