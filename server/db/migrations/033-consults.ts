import type { Kysely } from 'kysely';

// Consult transfers in the database (issue 19 follow-up): a consult in progress was held only in the
// memory of the routing lease's holder, so a takeover lost it. One row per consult: who consults whom
// on which call, its state and whether the customer was already on hold; closed with how it ended.
// The node that takes the lease over resumes the rows still open (ended_at null).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consults')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('from_user_id', 'text', (c) => c.notNull())
    .addColumn('to_user_id', 'text', (c) => c.notNull())
    // ringing | talking while open.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('was_held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    // Null while in progress; then completed, cancelled, declined, call_ended or disconnected.
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('consults_interaction').on('consults').columns(['interaction_id', 'started_at']).execute();
  await db.schema.createIndex('consults_open').on('consults').columns(['ended_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('consults').execute();
}
