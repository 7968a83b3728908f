import type { Kysely } from 'kysely';

// Child protection (issue 15): an interaction with a customer under 13 is marked, so it is never
// recorded and its transcript is purged when it ends. Only the mark is kept, never an age. The org's
// policy (one row) says whether the widget asks for a year of birth.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('interactions')
    .addColumn('child_protected', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('child_protection_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('ask_birth_year', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('child_protection_policy').execute();
  await db.schema.alterTable('interactions').dropColumn('child_protected').execute();
}
