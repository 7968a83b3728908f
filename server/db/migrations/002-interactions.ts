import type { Kysely } from 'kysely';

// Queues, customer interactions, their chat transcripts and timelines. Portable column types only
// (text, integer), like 001: the same migration runs on SQLite and PostgreSQL. Times are ISO-8601.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('queues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('offer_timeout_ms', 'integer', (c) => c.notNull())
    // JSON array of the disposition names an agent picks from at wrap-up.
    .addColumn('dispositions', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('queue_members')
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
    .execute();
  await db.schema.createIndex('queue_members_user').on('queue_members').column('user_id').execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id'))
    .addColumn('customer_name', 'text')
    .addColumn('customer_email', 'text')
    .addColumn('agent_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('on_hold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disposition', 'text')
    .addColumn('notes', 'text')
    .addColumn('wrapup_at', 'text')
    .addColumn('wrapup_by', 'text')
    .addColumn('wrapup_timed_out', 'integer', (c) => c.notNull().defaultTo(0))
    // SHA-256 of the customer's `vc_` token: a stolen database does not yield usable tokens.
    .addColumn('customer_token_hash', 'text')
    .addColumn('customer_token_expires_at', 'text')
    .execute();
  await db.schema.createIndex('interactions_created').on('interactions').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('interactions_agent').on('interactions').columns(['agent_id', 'created_at']).execute();
  await db.schema.createIndex('interactions_status').on('interactions').column('status').execute();
  await db.schema.createIndex('interactions_customer_token').on('interactions').column('customer_token_hash').unique().execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('client_msg_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addUniqueConstraint('messages_seq', ['interaction_id', 'seq'])
    .addUniqueConstraint('messages_client_msg', ['interaction_id', 'client_msg_id'])
    .execute();

  await db.schema
    .createTable('timeline')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    // Username of the agent involved (null for the customer or the system), and their id for queries.
    .addColumn('actor', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_interaction').on('timeline').columns(['interaction_id', 'id']).execute();
  await db.schema.createIndex('timeline_actor').on('timeline').columns(['actor_id', 'type']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['timeline', 'messages', 'interactions', 'queue_members', 'queues']) await db.schema.dropTable(table).execute();
}
