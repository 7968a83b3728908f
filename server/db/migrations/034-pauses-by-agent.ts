import type { Kysely } from 'kysely';

// A screen recording is held while any of its agent's interactions is paused (a chat paused during
// a call holds the screen too), so its pause list is read by agent and time (issue 20).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('recording_pauses_actor').on('recording_pauses').columns(['actor_id', 'started_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('recording_pauses_actor').execute();
}
