import type { Kysely } from 'kysely';

// Reports (issue 16): the org's statistics settings (one row: the anonymous statistics' k), and an
// index so that counting transfers and offers reads only those events, not the whole timeline.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_settings')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('anonymous_k', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.createIndex('timeline_type').on('timeline').columns(['type', 'interaction_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('timeline_type').execute();
  await db.schema.dropTable('report_settings').execute();
}
