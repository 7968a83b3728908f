import { sql, type Kysely } from 'kysely';

// Recording segments: each MediaRecorder run of a recording (a reload of the agent's app mid-call
// starts a new one, with its own WebM header) keeps its own chunk numbering, so chunks are keyed by
// (recording, segment, seq) and the last seq the app announced is kept per segment. Recordings
// also note how their file was assembled and whether a server start recovered them.
// Existing chunks and announced last seqs become segment 0.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('recording_segment_chunks')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('segment', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recording_segment_chunks_pk', ['recording_id', 'segment', 'seq'])
    .execute();
  await sql`insert into recording_segment_chunks (recording_id, segment, seq, bytes, received_at)
            select recording_id, 0, seq, bytes, received_at from recording_chunks`.execute(db);
  await db.schema.dropTable('recording_chunks').execute();
  await db.schema.alterTable('recording_segment_chunks').renameTo('recording_chunks').execute();

  await db.schema
    .createTable('recording_segments')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('segment', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('recording_segments_pk', ['recording_id', 'segment'])
    .execute();
  await sql`insert into recording_segments (recording_id, segment, last_seq)
            select id, 0, last_seq from recordings where last_seq is not null`.execute(db);
  await db.schema.alterTable('recordings').dropColumn('last_seq').execute();

  await db.schema.alterTable('recordings').addColumn('recovered', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('recordings').addColumn('assembly', 'text').execute();
  await db.schema.alterTable('recordings').addColumn('assembly_note', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').dropColumn('assembly_note').execute();
  await db.schema.alterTable('recordings').dropColumn('assembly').execute();
  await db.schema.alterTable('recordings').dropColumn('recovered').execute();
  await db.schema.alterTable('recordings').addColumn('last_seq', 'integer').execute();
  await sql`update recordings set last_seq = (select last_seq from recording_segments s where s.recording_id = recordings.id and s.segment = 0)`.execute(db);
  await db.schema.dropTable('recording_segments').execute();
  await db.schema
    .createTable('recording_chunks_v1')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('recording_chunks_pk', ['recording_id', 'seq'])
    .execute();
  await sql`insert into recording_chunks_v1 (recording_id, seq, bytes, received_at)
            select recording_id, seq, bytes, received_at from recording_chunks where segment = 0`.execute(db);
  await db.schema.dropTable('recording_chunks').execute();
  await db.schema.alterTable('recording_chunks_v1').renameTo('recording_chunks').execute();
}
