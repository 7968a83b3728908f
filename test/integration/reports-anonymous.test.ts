import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { seedReportInteractions, type ReportSeedInteraction } from '../support/report-seed';
import { api, login, startBackend, type Json, type TestBackend } from './helpers';
import { demoAgents, HOUR_MS, iso, rangeQuery, reportDay } from './reports-support';

const LONE = { name: 'Lonely Lou', email: 'lou@example.test', text: 'only me at this hour' };

/** Every row (queue) and column (bucket) of the grid: how many cells each has suppressed. */
function suppressedPerLine(cells: Json[]): number[] {
  const lines = new Map<string, number>();
  for (const c of cells) {
    for (const key of [`q:${c.queue}`, `b:${c.bucket}`]) lines.set(key, (lines.get(key) ?? 0) + (c.suppressed ? 1 : 0));
  }
  return [...lines.values()];
}

describe('anonymous statistics', () => {
  let server: TestBackend;
  const tokens: Record<string, string> = {};
  const day = reportDay();
  const h = (n: number) => day + n * HOUR_MS;

  beforeAll(async () => {
    server = await startBackend();
    for (const name of ['agent1', 'super1', 'admin']) tokens[name] = (await login(server.url, name)).token;
    const a = await demoAgents(server);
    const many = (queueId: string, hour: number, n: number, extra: Partial<ReportSeedInteraction> = {}): ReportSeedInteraction[] =>
      Array.from({ length: n }, (_, i) => ({ queueId, createdAt: new Date(h(hour) + i * 60_000), agent: a.agent1, waitMs: 1_000 * (i + 1), ...extra }));
    // General 09:00–12:00: 12, 1 (one customer alone), 12; Billing: 12, 12, 12 (+3 sensitive, +2 child-protected at 11:00).
    await seedReportInteractions(server.db, [
      ...many('general', 9, 12),
      { queueId: 'general', createdAt: new Date(h(10) + 5 * 60_000), agent: a.agent2, customerName: LONE.name, customerEmail: LONE.email, text: LONE.text },
      ...many('general', 11, 12),
      ...many('billing', 9, 12),
      ...many('billing', 10, 12),
      ...many('billing', 11, 12),
      ...many('billing', 11, 3, { sensitive: true }),
      ...many('billing', 11, 2, { childProtected: true }),
    ]);
  });
  afterAll(() => server.close());

  const stats = async (from: number, to: number, by = 'queue,hour'): Promise<Json> => {
    const res = await api(server.url, `/api/reports/anonymous${rangeQuery(from, to, by)}`, { token: tokens.super1 });
    expect(res.status).toBe(200);
    return res.body;
  };
  const cell = (body: Json, queue: string, hour: number) => body.cells.find((c: Json) => c.queue === queue && c.bucket === iso(h(hour)));

  it('suppresses the cell of a customer alone in an hour of a queue, and enough others that no row or column total gives it away', async () => {
    const body = await stats(h(9), h(12));
    expect(Object.keys(body).sort()).toEqual(['bucket', 'cells', 'from', 'k', 'noise', 'to']);
    expect(body.k).toBe(10);
    expect(body.noise).toBe('none');
    expect(body.cells).toHaveLength(6);
    const lone = cell(body, 'general', 10);
    expect(lone).toEqual({
      queue: 'general',
      bucket: iso(h(10)),
      interactions: null,
      suppressed: true,
      reason: 'below_k',
      answered: null,
      abandoned: null,
      waitP50Ms: null,
      waitP90Ms: null,
      handleP50Ms: null,
      handleP90Ms: null,
      transfers: null,
      securePauses: null,
    });
    // The 10:00 column hides a second cell; General's row (its whole UTC day, mostly empty hours) has many.
    expect(cell(body, 'billing', 10)).toMatchObject({ suppressed: true, reason: 'complementary', interactions: null });
    expect(cell(body, 'general', 9)).toMatchObject({ suppressed: false, interactions: 12 });
    expect(cell(body, 'billing', 9)).toMatchObject({ suppressed: false, interactions: 12 });
    // Suppression runs over whole UTC days: there, no queue and no hour has exactly one hidden cell.
    const day24 = await stats(day, day + 24 * HOUR_MS);
    expect(day24.cells).toHaveLength(48);
    expect(suppressedPerLine(day24.cells)).not.toContain(1);
    // Shown cells hold at least k; sensitive and child-protected interactions are left out (Billing 11:00: 12, not 17).
    expect(cell(body, 'general', 11)).toMatchObject({ suppressed: false, interactions: 12, answered: 12, abandoned: 0, waitP50Ms: 6_000, waitP90Ms: 11_000 });
    expect(cell(body, 'billing', 11)).toMatchObject({ suppressed: false, interactions: 12 });
    for (const c of body.cells) if (!c.suppressed) expect(c.interactions).toBeGreaterThanOrEqual(body.k);
    const text = JSON.stringify(body);
    for (const secret of [LONE.name, LONE.email, LONE.text, 'agent', 'Ada']) expect(text).not.toContain(secret);
  });

  it('a differencing attack (two ranges one hour apart) reveals no cell under k: the same cells, each thresholded alone, no totals', async () => {
    const wide = await stats(h(9), h(12));
    const narrow = await stats(h(10), h(12));
    const shifted = await stats(h(10) + 30 * 60_000, h(11) + 30 * 60_000);
    const whole = await stats(day, day + 24 * HOUR_MS);
    for (const body of [wide, narrow, shifted]) {
      expect(cell(body, 'general', 10)).toMatchObject({ suppressed: true, reason: 'below_k', interactions: null });
      for (const c of body.cells) if (!c.suppressed) expect(c.interactions).toBeGreaterThanOrEqual(10);
      // Every cell is shown or hidden as in the whole day's answer, whatever the range: a cell hidden
      // as a complement in one request is never revealed by another.
      for (const c of body.cells) expect(c).toEqual(whole.cells.find((x: Json) => x.queue === c.queue && x.bucket === c.bucket));
    }
    // Ranges are widened to whole hours: 10:30–11:30 is 10:00–12:00.
    expect([shifted.from, shifted.to]).toEqual([iso(h(10)), iso(h(12))]);
    expect(shifted.cells).toEqual(narrow.cells);
    // A cell shown in both requests shows the same figures; what the wider one adds is whole cells.
    for (const c of narrow.cells.filter((x: Json) => !x.suppressed)) {
      const other = wide.cells.find((x: Json) => x.queue === c.queue && x.bucket === c.bucket);
      if (!other.suppressed) expect(other).toEqual(c);
    }
    // Whatever the attacker subtracts, per queue, the difference of the published sums is a sum of
    // whole published cells (each ≥ k), never the lone cell.
    for (const queue of ['general', 'billing']) {
      const shownSum = (body: Json) => body.cells.filter((c: Json) => c.queue === queue && !c.suppressed).reduce((s: number, c: Json) => s + c.interactions, 0);
      const diff = Math.abs(shownSum(wide) - shownSum(narrow));
      expect(diff === 0 || diff >= 10).toBe(true);
    }
  });

  it('day buckets: the same rules over whole UTC days', async () => {
    const body = await stats(day, day + 86_400_000, 'queue,day');
    expect(body.cells).toEqual([
      expect.objectContaining({ queue: 'billing', bucket: iso(day), interactions: 36, suppressed: false }),
      expect.objectContaining({ queue: 'general', bucket: iso(day), interactions: 25, suppressed: false }),
    ]);
  });

  it('k is the org setting (admins, at least 5, audited); supervisors and agents may not change it', async () => {
    const path = '/api/admin/report-settings';
    expect((await api(server.url, path, { token: tokens.admin })).body).toEqual({ anonymousK: 10 });
    const low = await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { anonymousK: 4 } });
    expect(low.status).toBe(400);
    expect(low.body.error.message).toContain('at least 5');
    for (const who of ['agent1', 'super1']) expect((await api(server.url, path, { method: 'PUT', token: tokens[who], json: { anonymousK: 20 } })).status).toBe(403);
    const saved = await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { anonymousK: 13 } });
    expect(saved.body).toEqual({ anonymousK: 13 });
    const audit = await api(server.url, `/api/audit?action=${AuditAction.reportSettingsChanged}`, { token: tokens.admin });
    expect(audit.body.entries.map((e: Json) => e.details)).toEqual([{ before: { anonymousK: 10 }, after: { anonymousK: 13 } }]);
    // With k = 13 every 12-cell is now under k.
    const body = await stats(h(9), h(12));
    expect(body.k).toBe(13);
    expect(body.cells.every((c: Json) => c.suppressed)).toBe(true);
    await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { anonymousK: 10 } });
  });

  it('refuses a grouping by agent and an hourly range over 31 days with 400s', async () => {
    const agent = await api(server.url, `/api/reports/anonymous${rangeQuery(h(9), h(12), 'agent,hour')}`, { token: tokens.super1 });
    expect(agent.status).toBe(400);
    expect(agent.body.error.message).toContain('queue,hour');
    const long = await api(server.url, `/api/reports/anonymous${rangeQuery(day - 40 * 86_400_000, day, 'queue,hour')}`, { token: tokens.super1 });
    expect(long.status).toBe(400);
  });
});
