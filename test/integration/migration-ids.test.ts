import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseBefore, type ScratchDatabase } from '../support/migrated-database';
import { migrateToLatest } from '../../server/db/database';
import { migrations } from '../../server/db/migrations';
import type { Database } from '../../server/db/schema';
import { SqlPauseIntervals } from '../../server/modules/secure-pause/pause-intervals';
import { testDatabaseKind, withoutForeignKeys } from '../support/test-database';

// Migration 016: ids the database numbers (timeline, recording_pauses) keep counting after the rows
// already stored, on SQLite (rowid) and PostgreSQL (identity column) alike.
describe(`migration 016 (database-numbered ids) on ${testDatabaseKind()}`, () => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it('new timeline events and pauses get the next ids after the stored ones, without the code naming one', async () => {
    scratch = await databaseBefore('016');
    const db = scratch.db;
    // Rows as the code before 016 wrote them, ids chosen by the writer (the interaction row does not matter here).
    await withoutForeignKeys(db, async (k) => {
      await sql`insert into timeline (id, interaction_id, type, at, actor, actor_id, details) values (1, 'i1', 'created', '2030-01-01T10:00:00.000Z', null, null, '{}'), (7, 'i1', 'ended', '2030-01-01T10:05:00.000Z', null, null, '{}')`.execute(k);
      await sql`insert into recording_pauses (id, interaction_id, started_at, ended_at, actor_id, actor_name, ended_by) values (3, 'i1', '2030-01-01T10:01:00.000Z', '2030-01-01T10:02:00.000Z', 'u1', 'agent1', 'agent')`.execute(k);
    });

    // 016 and every migration after it (later ones are not this test's concern).
    expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).filter((name) => name >= '016'));
    const pauses = new SqlPauseIntervals(db);
    await withoutForeignKeys(db, async (k) => {
      await sql`insert into timeline (interaction_id, type, at, actor, actor_id, details) values ('i1', 'note', '2030-01-01T10:06:00.000Z', null, null, '{}')`.execute(k);
    });
    // Pausing writes through the real store (it failed on PostgreSQL before 016: no id).
    const open = db;
    await withoutForeignKeys(db, async (k) => new SqlPauseIntervals({ ...open, kysely: k as Kysely<Database> }).open('i1', new Date('2030-01-01T10:07:00.000Z'), { id: 'u1', username: 'agent1' }));
    await pauses.close('i1', new Date('2030-01-01T10:08:00.000Z'), 'agent');
    expect((await db.kysely.selectFrom('timeline').select('id').orderBy('id').execute()).map((r) => Number(r.id))).toEqual([1, 7, 8]);
    expect((await pauses.of('i1')).map((p) => [Number(p.id), p.ended_by])).toEqual([
      [3, 'agent'],
      [4, 'agent'],
    ]);
  });
});
