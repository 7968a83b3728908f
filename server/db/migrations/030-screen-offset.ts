import type { Kysely } from 'kysely';

// Screen recording in sync (issue 20): where each recording's media starts, in ms after the
// recording's start (the call connecting or the chat being accepted). The web agent grants the
// screen capture after the call starts, so a screen recording's file starts later than the audio;
// the player lines the two up on it. Null until the app's first chunk reports it (and for
// recordings from before).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').addColumn('media_offset_ms', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').dropColumn('media_offset_ms').execute();
}
