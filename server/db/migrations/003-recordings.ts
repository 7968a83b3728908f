import type { Kysely } from 'kysely';

// Call recordings: the org's policy (one row), one row per recording, its stored chunks (so an
// upload is stored once per sequence number) and the secure-pause intervals of each interaction.
// Portable column types only, like 001 and 002.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recording_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('record_calls', 'integer', (c) => c.notNull())
    .addColumn('agents_may_play_own', 'integer', (c) => c.notNull())
    .addColumn('reminder_after_seconds', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('agent_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The last sequence number the agent's app announced at close, so a missing tail shows.
    .addColumn('last_seq', 'integer')
    .addColumn('assembled_bytes', 'integer')
    .execute();
  await db.schema.createIndex('recordings_interaction').on('recordings').columns(['interaction_id', 'started_at']).execute();

  await db.schema
    .createTable('recording_chunks')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recording_chunks_pk', ['recording_id', 'seq'])
    .execute();

  await db.schema
    .createTable('recording_pauses')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text')
    .execute();
  await db.schema.createIndex('recording_pauses_interaction').on('recording_pauses').columns(['interaction_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['recording_pauses', 'recording_chunks', 'recordings', 'recording_policy']) await db.schema.dropTable(table).execute();
}
