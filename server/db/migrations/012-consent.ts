import type { Kysely } from 'kysely';

// Consent, recorded, and the training library (issue 15). The org's privacy notice and purposes
// (one row); one consent record per purpose a customer ticked in the widget, withdrawn in place;
// training items are references to an interaction's transcript or recording, dropped when the
// consent behind them is withdrawn or the interaction is erased.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consent_settings')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('notice_version', 'text', (c) => c.notNull())
    .addColumn('notice_url', 'text', (c) => c.notNull())
    .addColumn('purposes', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('consent_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('purpose_id', 'text', (c) => c.notNull())
    .addColumn('purpose_label', 'text', (c) => c.notNull())
    .addColumn('notice_version', 'text', (c) => c.notNull())
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('withdrawn_at', 'text')
    .addColumn('withdrawn_by', 'text')
    .execute();
  await db.schema.createIndex('consent_records_interaction').on('consent_records').columns(['interaction_id', 'purpose_id']).unique().execute();
  await db.schema
    .createTable('training_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('training_items_interaction').on('training_items').columns(['interaction_id', 'what']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('training_items').execute();
  await db.schema.dropTable('consent_records').execute();
  await db.schema.dropTable('consent_settings').execute();
}
