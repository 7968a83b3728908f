import { sql, type Kysely } from 'kysely';

// Privacy requests (issue 14): one row per export, rectify or erase an officer asked for. It
// outlives what it erased: once it ends the identifiers typed are dropped (`subject` null) and
// only their SHA-256 digests stay. The indexes make a subject search fast: e-mail and name
// compared case-insensitively through lower() expression indexes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('privacy_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by_id', 'text', (c) => c.notNull())
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    // JSON of the identifiers typed, while the request runs (replacements too, for a rectify); null once it ended.
    .addColumn('subject', 'text')
    // JSON arrays.
    .addColumn('subject_digests', 'text', (c) => c.notNull())
    .addColumn('interaction_ids', 'text', (c) => c.notNull())
    .addColumn('stores', 'text', (c) => c.notNull())
    .addColumn('progress_done', 'integer', (c) => c.notNull())
    .addColumn('progress_total', 'integer', (c) => c.notNull())
    .addColumn('took_ms', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('privacy_requests_created').on('privacy_requests').columns(['created_at', 'id']).execute();
  await sql`create index interactions_email_ci on interactions (lower(customer_email))`.execute(db);
  await sql`create index interactions_name_ci on interactions (lower(customer_name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index interactions_name_ci`.execute(db);
  await sql`drop index interactions_email_ci`.execute(db);
  await db.schema.dropTable('privacy_requests').execute();
}
