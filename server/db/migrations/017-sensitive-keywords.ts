import type { Kysely } from 'kysely';

// Sensitive keywords: the org's rules that suggest the sensitive mark to agents (one row; the rules
// as JSON, validated by shared/api/sensitive-keywords.ts on the way in and out).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sensitive_keywords')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sensitive_keywords').execute();
}
