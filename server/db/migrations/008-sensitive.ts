import type { Kysely } from 'kysely';

// Sensitive personal data (issue 15): an interaction's mark (category, when, by whom) and the staff
// permissions that open marked interactions to a supervisor (a comma list; `sensitive` for now).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('interactions').addColumn('sensitive_category', 'text').execute();
  await db.schema.alterTable('interactions').addColumn('sensitive_marked_at', 'text').execute();
  await db.schema.alterTable('interactions').addColumn('sensitive_marked_by', 'text').execute();
  await db.schema.alterTable('users').addColumn('permissions', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('permissions').execute();
  await db.schema.alterTable('interactions').dropColumn('sensitive_marked_by').execute();
  await db.schema.alterTable('interactions').dropColumn('sensitive_marked_at').execute();
  await db.schema.alterTable('interactions').dropColumn('sensitive_category').execute();
}
