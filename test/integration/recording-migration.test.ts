import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseBefore, type ScratchDatabase } from '../support/migrated-database';
import { migrateToLatest } from '../../server/db/database';
import { toRecording } from '../../server/modules/recordings/metadata';
import { RecordingsRepo } from '../../server/modules/recordings/recordings-repo';
import { withoutForeignKeys } from '../support/test-database';

describe('migration 005 (recording segments) on a database with recordings', () => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it('keeps every chunk as segment 0 and the announced last seq as segment 0’s', async () => {
    scratch = await databaseBefore('005');
    const db = scratch.db;
    // Rows as the code before segments wrote them (the referenced user and interaction do not matter here).
    await withoutForeignKeys(db, async (k) => {
      await sql`insert into recordings (id, interaction_id, agent_id, agent_name, started_at, ended_at, mime_type, status, last_seq, assembled_bytes)
                values ('r1', 'i1', 'u1', 'agent1', '2030-01-01T10:00:00.000Z', '2030-01-01T10:00:09.000Z', 'audio/webm;codecs=opus', 'closed', 4, 30),
                       ('r2', 'i2', 'u1', 'agent1', '2030-01-01T11:00:00.000Z', null, 'audio/webm;codecs=opus', 'recording', null, null)`.execute(k);
      for (const seq of [0, 1, 3]) {
        await sql`insert into recording_chunks (recording_id, seq, bytes, received_at) values ('r1', ${seq}, 10, '2030-01-01T10:00:05.000Z')`.execute(k);
      }
    });

    expect(await migrateToLatest(db)).toContain('005-recording-segments');
    const repo = new RecordingsRepo(db);
    const row = (await repo.get('r1'))!;
    expect(row).toMatchObject({ status: 'closed', recovered: 0, assembly: null, assembly_note: null });
    expect(row).not.toHaveProperty('last_seq');
    const meta = toRecording(row, await repo.chunks('r1'), await repo.lastSeqs('r1'), []);
    expect(meta).toMatchObject({ chunks: 3, bytes: 30, missingChunks: 2, assembly: 'pending', recovered: false, segments: [{ segment: 0, chunks: 3, lastSeq: 4, missingSeqs: [2, 4] }] });
    expect((await repo.open()).map((r) => r.id)).toEqual(['r2']);
    // New chunks go by (recording, segment, seq).
    expect(await repo.addChunk('r1', 1, 0, 5, new Date())).toBe(true);
    expect(await repo.addChunk('r1', 1, 0, 5, new Date())).toBe(false);
  });
});
