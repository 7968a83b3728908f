import type { Kysely } from 'kysely';

// Notices of a material change by e-mail (issue 16). One row per campaign (the admin's subject and
// text, counts come from the recipients) and one per recipient: the address's SHA-256, and the
// address itself only while the notice is pending (cleared once sent or failed, and by an erase or
// the contacts retention through interaction_id, the newest interaction the address was taken from).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notice_campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createTable('notice_campaign_recipients')
    .addColumn('campaign_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('email_hash', 'text')
    .addColumn('email', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addPrimaryKeyConstraint('notice_campaign_recipients_pk', ['campaign_id', 'seq'])
    .execute();
  await db.schema.createIndex('notice_campaign_recipients_due').on('notice_campaign_recipients').columns(['campaign_id', 'state', 'next_attempt_at', 'seq']).execute();
  await db.schema.createIndex('notice_campaign_recipients_interaction').on('notice_campaign_recipients').column('interaction_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notice_campaign_recipients').execute();
  await db.schema.dropTable('notice_campaigns').execute();
}
