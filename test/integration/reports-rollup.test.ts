import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseBefore, type ScratchDatabase } from '../support/migrated-database';
import { migrateToLatest, type Db } from '../../server/db/database';
import { ReportRollup } from '../../server/modules/reports/report-rollup';
import { aggregateKey, ReportSource } from '../../server/modules/reports/report-source';
import { seedReportInteractions, type ReportSeedInteraction } from '../support/report-seed';
import { testDatabaseKind } from '../support/test-database';
import { api, login, startBackend, waitFor, type Json, type TestBackend } from './helpers';
import { demoAgents, HOUR_MS, iso, rangeQuery, reportDay } from './reports-support';

/** The rollup row of a queue's hour (unflagged or flagged), as the server stored it; undefined when none. */
async function rollupRow(db: Db, queue: string, hourStart: number, flagged: 0 | 1) {
  return db.kysely
    .selectFrom('report_queue_hours')
    .select(['interactions', 'wait_ms'])
    .where('queue_id', '=', queue)
    .where('hour', '=', iso(hourStart).slice(0, 13))
    .where('flagged', '=', flagged)
    .executeTakeFirst();
}

describe(`the reports' hourly rollup on ${testDatabaseKind()}`, () => {
  let server: TestBackend;
  let token = '';
  let ids: string[] = [];
  const day = reportDay();
  const h = (n: number) => day + n * HOUR_MS;

  beforeAll(async () => {
    server = await startBackend();
    token = (await login(server.url, 'super1')).token;
    const a = await demoAgents(server);
    const many = (hour: number, n: number, queueId = 'general'): ReportSeedInteraction[] =>
      Array.from({ length: n }, (_, i) => ({ queueId, createdAt: new Date(h(hour) + i * 60_000), agent: a.agent1, waitMs: 1_000 * (i + 1), talkMs: 60_000, wrapupMs: 0 }));
    // Billing's hours keep the columns from complementary suppression of General's cells.
    ids = await seedReportInteractions(server.db, [...many(9, 12), ...many(10, 12), ...many(9, 12, 'billing'), ...many(10, 12, 'billing')]);
  });
  afterAll(() => server.close());

  const stats = async (from: number, to: number): Promise<Json> => (await api(server.url, `/api/reports/anonymous${rangeQuery(from, to, 'queue,hour')}`, { token })).body;
  const general = (rows: Json[]) => rows.filter((r) => r.group.id === 'general');
  const statsCell = (body: Json, hour: number) => body.cells.find((c: Json) => c.queue === 'general' && c.bucket === iso(h(hour)));

  it('catches up with rows written behind its back without a report asking, then follows a sensitive mark made later', async () => {
    // The seed wrote straight into the tables: the triggers marked the hours, the catch-up rebuilt them.
    await waitFor(async () => (await rollupRow(server.db, 'general', h(9), 0))?.interactions === 12, 15_000, 'the 09:00 rollup to hold 12 interactions');
    expect(JSON.parse((await rollupRow(server.db, 'general', h(9), 0))!.wait_ms)).toEqual(Array.from({ length: 12 }, (_, i) => 1_000 * (i + 1)));

    // Marked sensitive after the close (as an agent or a supervisor does): the cell moves to the flagged side.
    await server.db.kysely.updateTable('interactions').set({ sensitive_category: 'health', sensitive_marked_at: iso(h(12)) }).where('id', '=', ids[0]!).execute();
    await waitFor(async () => (await rollupRow(server.db, 'general', h(9), 1))?.interactions === 1, 15_000, 'the flagged 09:00 rollup to hold the marked interaction');
    expect((await rollupRow(server.db, 'general', h(9), 0))?.interactions).toBe(11);
    // Anonymous statistics leave it out (11 ≥ k shown); two more marks take the cell under k.
    expect(statsCell(await stats(h(9), h(11)), 9)).toMatchObject({ suppressed: false, interactions: 11, waitP50Ms: 7_000 });
    await server.db.kysely.updateTable('interactions').set({ child_protected: 1 }).where('id', 'in', [ids[1]!, ids[2]!]).execute();
    // A report does not wait for the catch-up: it rebuilds what is marked first.
    expect(statsCell(await stats(h(9), h(11)), 9)).toMatchObject({ suppressed: true, reason: 'below_k', interactions: null });
    // The supervisors' report still counts every one of them, sensitive ones included.
    const report = await api(server.url, `/api/reports${rangeQuery(h(9), h(10), 'queue,hour')}`, { token });
    expect(general(report.body.rows)).toEqual([expect.objectContaining({ bucket: iso(h(9)), offered: 12, sensitive: 1, waitP50Ms: 6_000, waitP90Ms: 11_000 })]);
  });

  it('a purge of interactions is followed: their hour is recomputed from what is left', async () => {
    const gone = ids.slice(12, 18);
    await server.db.kysely.transaction().execute(async (trx) => {
      for (const table of ['messages', 'timeline', 'recording_pauses'] as const) await trx.deleteFrom(table).where('interaction_id', 'in', gone).execute();
      await trx.deleteFrom('interactions').where('id', 'in', gone).execute();
    });
    const report = await api(server.url, `/api/reports${rangeQuery(h(10), h(11), 'queue,hour')}`, { token });
    expect(general(report.body.rows)).toEqual([expect.objectContaining({ bucket: iso(h(10)), offered: 6, answered: 6, waitP50Ms: 9_000, waitP90Ms: 12_000 })]);
    expect(JSON.parse((await rollupRow(server.db, 'general', h(10), 0))!.wait_ms)).toEqual([7_000, 8_000, 9_000, 10_000, 11_000, 12_000]);
  });

  it('a range that starts or ends inside an hour counts only what is inside it, as before the rollup', async () => {
    // 10:02–10:09 holds the 10:07…10:09 interactions left after the purge (created at whole minutes 6…11).
    const inner = await api(server.url, `/api/reports${rangeQuery(h(10) + 2 * 60_000, h(10) + 9 * 60_000, 'queue,hour')}`, { token });
    expect(general(inner.body.rows).map((r: Json) => [r.bucket, r.offered])).toEqual([[iso(h(10)), 3]]);
    // 09:30–10:09 by day: the whole-hour part comes from the rollup, both edges from the interactions.
    const across = await api(server.url, `/api/reports${rangeQuery(h(9) + 30 * 60_000, h(10) + 9 * 60_000, 'queue,day')}`, { token });
    expect(general(across.body.rows).map((r: Json) => [r.bucket, r.offered])).toEqual([[iso(day), 0 + 3]]);
    const wider = await api(server.url, `/api/reports${rangeQuery(h(9) + 5 * 60_000, h(10) + 9 * 60_000, 'queue,day')}`, { token });
    // 09:05–09:59 holds the interactions created at minutes 5…11 of 09:00 (7 of them), plus 3.
    expect(general(wider.body.rows).map((r: Json) => [r.bucket, r.offered])).toEqual([[iso(day), 7 + 3]]);
  });
});

describe(`migration 021 backfills the rollup of existing interactions on ${testDatabaseKind()}`, () => {
  let scratch: ScratchDatabase | undefined;
  afterEach(async () => {
    await scratch?.close();
    scratch = undefined;
  });

  it('marks every hour that has chats or calls, and the first rebuild gives the figures of a report computed from the rows', async () => {
    scratch = await databaseBefore('021');
    const db = scratch.db;
    await db.kysely.insertInto('queues').values({ id: 'general', name: 'General', offer_timeout_ms: 30_000, dispositions: '["Resolved"]' }).execute();
    await db.kysely.insertInto('users').values({ id: 'u-agent', username: 'agent9', display_name: 'Agent Nine', role: 'agent', password_hash: 'x', created_at: iso(0) }).execute();
    const agent = { id: 'u-agent', username: 'agent9' };
    const day = reportDay();
    await seedReportInteractions(db, [
      { queueId: 'general', createdAt: new Date(day + HOUR_MS), agent, waitMs: 4_000, talkMs: 10_000, wrapupMs: 0, transfers: 1 },
      { queueId: 'general', createdAt: new Date(day + HOUR_MS + 1), agent, waitMs: 2_000, talkMs: 30_000, wrapupMs: 0, securePauses: 1 },
      { queueId: 'general', createdAt: new Date(day + 5 * HOUR_MS), abandonedAfterMs: 9_000 },
    ]);

    await migrateToLatest(db);
    const marked = await db.kysely.selectFrom('report_rollup_dirty').select('hour').execute();
    expect([...new Set(marked.map((m) => m.hour))].sort()).toEqual([iso(day + HOUR_MS).slice(0, 13), iso(day + 5 * HOUR_MS).slice(0, 13)]);

    const rollup = new ReportRollup(db);
    expect(await rollup.refresh()).toBe(2);
    expect(await db.kysely.selectFrom('report_rollup_dirty').select('id').execute()).toEqual([]);
    const source = new ReportSource(db, rollup);
    const byDay = await source.aggregate({ from: iso(day), to: iso(day + 86_400_000), bucket: 'day', group: 'queue' });
    expect(byDay.get(aggregateKey('general', iso(day)))).toEqual({
      interactions: 3,
      offered: 0,
      answered: 2,
      abandoned: 1,
      sensitive: 0,
      waitP50Ms: 2_000,
      waitP90Ms: 4_000,
      handleP50Ms: 10_000,
      handleP90Ms: 30_000,
      transfers: 1,
      securePauses: 1,
      dispositions: { Resolved: 2 },
    });
    const byAgent = await source.aggregate({ from: iso(day), to: iso(day + 86_400_000), bucket: 'hour', group: 'agent' });
    expect(byAgent.get(aggregateKey('u-agent', iso(day + HOUR_MS)))).toMatchObject({ interactions: 2, offered: 2, answered: 2 });
  });
});
