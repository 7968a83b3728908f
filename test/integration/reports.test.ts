import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReportInteractions } from '../support/report-seed';
import { api, login, startBackend, type Json, type TestBackend } from './helpers';
import { demoAgents, HOUR_MS, iso, rangeQuery, reportDay } from './reports-support';

const SECRET = { name: 'Zed Quux', email: 'zed.quux@example.test', text: 'my passphrase is xyzzy-plover' };

describe('supervisor reports', () => {
  let server: TestBackend;
  const tokens: Record<string, string> = {};
  const day = reportDay();
  const h10 = day + 10 * HOUR_MS;
  let ids: string[] = [];

  beforeAll(async () => {
    server = await startBackend();
    for (const name of ['agent1', 'super1', 'super2', 'admin']) tokens[name] = (await login(server.url, name)).token;
    const a = await demoAgents(server);
    const secret = { customerName: SECRET.name, customerEmail: SECRET.email, text: SECRET.text };
    // Hand-computed: General 10:00 has 4 (3 answered, 1 abandoned); Billing 11:00 has 1.
    ids = await seedReportInteractions(server.db, [
      { queueId: 'general', createdAt: new Date(h10 + 60_000), agent: a.agent1, waitMs: 10_000, talkMs: 100_000, wrapupMs: 20_000, disposition: 'Resolved', transfers: 1, securePauses: 2, ...secret },
      { queueId: 'general', createdAt: new Date(h10 + 120_000), agent: a.agent1, waitMs: 30_000, talkMs: 200_000, wrapupMs: 10_000, disposition: 'Resolved', ...secret },
      { queueId: 'general', createdAt: new Date(h10 + 180_000), agent: a.agent2, waitMs: 50_000, talkMs: 50_000, wrapupMs: 10_000, disposition: 'Follow-up needed', sensitive: true, ...secret },
      { queueId: 'general', createdAt: new Date(h10 + 240_000), offeredTo: [a.agent2], abandonedAfterMs: 40_000, ...secret },
      { queueId: 'billing', createdAt: new Date(h10 + HOUR_MS + 60_000), kind: 'call', agent: a.agent3, waitMs: 5_000, talkMs: 60_000, wrapupMs: 0, disposition: 'Payment taken', ...secret },
    ]);
  });
  afterAll(() => server.close());

  const report = (token: string, by: string, from = day, to = day + 86_400_000) => api(server.url, `/api/reports${rangeQuery(from, to, by)}`, { token });

  it('counts offered, answered, abandoned, wait and handle percentiles, dispositions, transfers, secure pauses and sensitive per queue and hour', async () => {
    const res = await report(tokens.super1!, 'queue,hour');
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      {
        group: { kind: 'queue', id: 'general', name: 'General' },
        bucket: iso(h10),
        offered: 4,
        answered: 3,
        abandoned: 1,
        waitP50Ms: 30_000,
        waitP90Ms: 50_000,
        handleP50Ms: 120_000,
        handleP90Ms: 210_000,
        dispositions: { Resolved: 2, 'Follow-up needed': 1 },
        transfers: 1,
        securePauses: 2,
        sensitive: 1,
      },
      {
        group: { kind: 'queue', id: 'billing', name: 'Billing' },
        bucket: iso(h10 + HOUR_MS),
        offered: 1,
        answered: 1,
        abandoned: 0,
        waitP50Ms: 5_000,
        waitP90Ms: 5_000,
        handleP50Ms: 60_000,
        handleP90Ms: 60_000,
        dispositions: { 'Payment taken': 1 },
        transfers: 0,
        securePauses: 0,
        sensitive: 0,
      },
    ]);
    const byDay = await report(tokens.admin!, 'queue,day');
    expect(byDay.body.rows.map((r: Json) => [r.group.id, r.bucket, r.offered])).toEqual([
      ['billing', iso(day), 1],
      ['general', iso(day), 4],
    ]);
  });

  it("per agent: the caller's team only; a supervisor in no queue sees every agent", async () => {
    const all = await report(tokens.super1!, 'agent,day');
    expect(all.status).toBe(200);
    expect(all.body.rows.map((r: Json) => [r.group.name, r.offered, r.answered, r.handleP50Ms])).toEqual([
      ['Ada Agent', 2, 2, 120_000],
      [expect.any(String), 2, 1, 60_000],
      [expect.any(String), 1, 1, 60_000],
    ]);
    // super2 joins General: their team is General's members (agent1, agent2), not agent3.
    const super2 = await server.db.kysely.selectFrom('users').select('id').where('username', '=', 'super2').executeTakeFirstOrThrow();
    await server.db.kysely.insertInto('queue_members').values({ queue_id: 'general', user_id: super2.id }).execute();
    const team = await report(tokens.super2!, 'agent,day');
    const a = await demoAgents(server);
    expect(team.body.rows.map((r: Json) => r.group.id).sort()).toEqual([a.agent1.id, a.agent2.id].sort());
  });

  it('refuses agents (403) and callers without a session (401), for the report, its CSV and the statistics', async () => {
    for (const path of ['/api/reports', '/api/reports.csv', '/api/reports/anonymous']) {
      const q = rangeQuery(day, day + 86_400_000, 'queue,day');
      expect((await api(server.url, path + q, { token: tokens.agent1 })).status).toBe(403);
      expect((await api(server.url, path + q)).status).toBe(401);
    }
  });

  it('never shows a customer name, e-mail, message or note text, or an interaction id: JSON or CSV', async () => {
    const bodies: string[] = [];
    for (const by of ['queue,hour', 'queue,day', 'agent,hour', 'agent,day']) {
      bodies.push(JSON.stringify((await report(tokens.admin!, by)).body));
      const csv = await api(server.url, `/api/reports.csv${rangeQuery(day, day + 86_400_000, by)}`, { token: tokens.super1 });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="veildesk-report-/);
      bodies.push(csv.body as string);
    }
    bodies.push(JSON.stringify((await api(server.url, `/api/reports/anonymous${rangeQuery(day, day + 86_400_000, 'queue,hour')}`, { token: tokens.admin })).body));
    for (const body of bodies) {
      for (const secret of [SECRET.name, SECRET.email, 'xyzzy', 'note:', ...ids]) expect(body).not.toContain(secret);
    }
  });

  it('the CSV has the same figures as the JSON, durations in seconds, one column per disposition', async () => {
    const csv = await api<string>(server.url, `/api/reports.csv${rangeQuery(day, day + 86_400_000, 'queue,hour')}`, { token: tokens.super1 });
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      '"queue","queue id","hour (UTC)","offered","answered","abandoned","wait p50 (s)","wait p90 (s)","handle p50 (s)","handle p90 (s)","transfers","secure pauses","sensitive","disposition: Follow-up needed","disposition: Payment taken","disposition: Resolved"',
    );
    expect(lines[1]).toBe(`"General","general","${iso(h10)}","4","3","1","30.0","50.0","120.0","210.0","1","2","1","1","0","2"`);
    expect(lines).toHaveLength(3);
  });

  it('refuses bad ranges and groupings with 400s that say what to send', async () => {
    const week = await api(server.url, `/api/reports${rangeQuery(day, day + HOUR_MS, 'queue,week')}`, { token: tokens.admin });
    expect(week.status).toBe(400);
    expect(week.body.error.message).toContain('queue,day');
    const backwards = await api(server.url, `/api/reports${rangeQuery(day, day - HOUR_MS, 'queue,day')}`, { token: tokens.admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('to must be after from');
    const long = await api(server.url, `/api/reports${rangeQuery(day - 40 * 86_400_000, day, 'queue,hour')}`, { token: tokens.admin });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('at most 31 days');
    const garbled = await api(server.url, '/api/reports?from=yesterday&to=today&by=queue,day', { token: tokens.admin });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.message).toContain('ISO-8601');
  });
});
