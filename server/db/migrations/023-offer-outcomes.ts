import type { Kysely } from 'kysely';

// Offer records (issue 19): one row per offer of an interaction to an agent, closed with how it
// ended (accepted, declined, timed_out, withdrawn, taken_by_another, unavailable). The agent's
// history of offers and the board's counts read it. queue_id is the queue at offer time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull())
    .addColumn('offered_at', 'text', (c) => c.notNull())
    // Null while the offer stands.
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('offers_interaction').on('offers').columns(['interaction_id', 'ended_at']).execute();
  await db.schema.createIndex('offers_agent').on('offers').columns(['agent_id', 'ended_at', 'id']).execute();
  await db.schema.createIndex('offers_ended').on('offers').columns(['ended_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('offers').execute();
}
