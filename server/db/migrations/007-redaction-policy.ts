import type { Kysely } from 'kysely';

// Redaction: the org's policy (one row; the policy as JSON, validated by shared/api/redaction.ts on
// the way in and out).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('redaction_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('redaction_policy').execute();
}
