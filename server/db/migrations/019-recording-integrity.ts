import type { Kysely } from 'kysely';

// Recording integrity (issue 17): when the server closed a recording (the grace window for chunks
// still waiting in the agent's app starts then) and when the agent's app announced each segment's
// last seq (from then on no chunk beyond them is taken). Null in rows closed before this migration:
// their grace window is over (ended_at stands in for closed_at).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('recordings').addColumn('announced_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').dropColumn('announced_at').execute();
  await db.schema.alterTable('recordings').dropColumn('closed_at').execute();
}
