import type { Kysely } from 'kysely';

// Retention (issue 14): the org's policy (one row; JSON validated by shared/api/retention.ts on the
// way in and out), the audit log's anchor (where verification starts once old entries were purged
// by age), and an index so the hourly job finds closed interactions by when they ended.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('retention_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('audit_anchor')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('through_id', 'integer', (c) => c.notNull())
    .addColumn('through_hash', 'text', (c) => c.notNull())
    .addColumn('purged_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('interactions_ended_at').on('interactions').columns(['ended_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_ended_at').execute();
  await db.schema.dropTable('audit_anchor').execute();
  await db.schema.dropTable('retention_policy').execute();
}
