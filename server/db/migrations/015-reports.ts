import type { Kysely } from 'kysely';

// Reports (issue 16): the org's statistics settings (one row: the anonymous statistics' k), and
// an index so a report over a range of one queue reads only that range's interactions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_settings')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('anonymous_k', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.createIndex('interactions_queue_created').on('interactions').columns(['queue_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('interactions_queue_created').execute();
  await db.schema.dropTable('report_settings').execute();
}
