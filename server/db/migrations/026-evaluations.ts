import type { Kysely } from 'kysely';

// Evaluations (issue 20): scorecards, one row per version, and supervisors' evaluations of ended interactions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scorecards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON: [{ id, text, scale, labels, weight }]
    .addColumn('questions', 'text', (c) => c.notNull())
    // Set on every version but the latest, and on an archived scorecard's latest.
    .addColumn('superseded_at', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('scorecards_family_version', ['family_id', 'version'])
    .execute();
  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('scorecard_id', 'text', (c) => c.notNull().references('scorecards.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('evaluator_id', 'text', (c) => c.notNull().references('users.id'))
    // JSON: [{ questionId, value }]
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('agent_comment', 'text')
    .addColumn('agent_comment_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluations_interaction').on('evaluations').column('interaction_id').execute();
  await db.schema.createIndex('evaluations_agent').on('evaluations').columns(['agent_id', 'created_at']).execute();
  await db.schema.createIndex('evaluations_scorecard').on('evaluations').column('scorecard_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evaluations').execute();
  await db.schema.dropTable('scorecards').execute();
}
