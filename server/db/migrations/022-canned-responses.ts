import type { Kysely } from 'kysely';

// Canned responses (issue 19): the org's snippets (owner_id null) and each staff member's own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('canned_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('canned_responses_owner').on('canned_responses').column('owner_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('canned_responses').execute();
}
