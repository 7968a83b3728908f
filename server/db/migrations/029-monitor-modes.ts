import { sql, type Kysely } from 'kysely';

// Whisper and barge (issue 20): which of the roles that may listen may also whisper to the agent or
// barge into the call. Comma-separated like roles_allowed; an org's existing policy lets the roles
// that may listen do both, as the default policy does.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('monitoring_policy').addColumn('whisper_roles', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('monitoring_policy').addColumn('barge_roles', 'text', (c) => c.notNull().defaultTo('')).execute();
  await sql`update monitoring_policy set whisper_roles = roles_allowed, barge_roles = roles_allowed`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('monitoring_policy').dropColumn('barge_roles').execute();
  await db.schema.alterTable('monitoring_policy').dropColumn('whisper_roles').execute();
}
