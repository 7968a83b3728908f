import type { Kysely } from 'kysely';

// Screen recording (issue 20): the org's policy (one row), and a kind per recording so a call's
// screen recording is a recording like its audio (same chunks, files, erase, retention and export).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('screen_recording_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('sample_percent', 'integer', (c) => c.notNull())
    // JSON array of roles.
    .addColumn('viewer_roles', 'text', (c) => c.notNull())
    .addColumn('fps', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema.alterTable('recordings').addColumn('kind', 'text', (c) => c.notNull().defaultTo('audio')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').dropColumn('kind').execute();
  await db.schema.dropTable('screen_recording_policy').execute();
}
