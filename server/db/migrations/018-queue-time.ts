import type { Kysely } from 'kysely';

// Maximum queue time: the org's limit on how long a customer waits before the widget offers to
// leave a message instead (one row; absent: the default in server/modules/interactions/queue-time.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('queue_time_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('max_queue_seconds', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('queue_time_policy').execute();
}
