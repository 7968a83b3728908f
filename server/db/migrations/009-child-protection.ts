import type { Kysely } from 'kysely';

// Child protection (issue 15): an interaction with a customer under 13 is marked, so it is never
// recorded and its transcript is purged when it ends. Only the mark is kept, never an age.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('interactions')
    .addColumn('child_protected', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('interactions').dropColumn('child_protected').execute();
}
