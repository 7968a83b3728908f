import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { seedReportInteractions, type ReportSeedInteraction } from '../support/report-seed';
import { api, login, startBackend, type Json, type TestBackend } from './helpers';
import { demoAgents, HOUR_MS, rangeQuery, reportDay } from './reports-support';

describe('differential-privacy noise on anonymous statistics', () => {
  let server: TestBackend;
  const tokens: Record<string, string> = {};
  const day = reportDay();
  const h = (n: number) => day + n * HOUR_MS;
  const path = '/api/admin/report-noise';

  beforeAll(async () => {
    server = await startBackend();
    for (const name of ['agent1', 'super1', 'admin']) tokens[name] = (await login(server.url, name)).token;
    const a = await demoAgents(server);
    const many = (queueId: string, hour: number, n: number): ReportSeedInteraction[] =>
      Array.from({ length: n }, (_, i) => ({ queueId, createdAt: new Date(h(hour) + i * 60_000), agent: a.agent1, waitMs: 1_000 * (i + 1) }));
    await seedReportInteractions(server.db, [...many('general', 9, 30), ...many('general', 10, 2), ...many('general', 11, 25), ...many('billing', 9, 40), ...many('billing', 10, 20), ...many('billing', 11, 15)]);
  });
  afterAll(() => server.close());

  const stats = async (): Promise<Json> => {
    const res = await api(server.url, `/api/reports/anonymous${rangeQuery(day, day + 24 * HOUR_MS, 'queue,hour')}`, { token: tokens.super1 });
    expect(res.status).toBe(200);
    return res.body;
  };
  const pattern = (body: Json) => body.cells.map((c: Json) => [c.queue, c.bucket, c.suppressed, c.reason ?? null]);

  it('is off by default: exact counts and percentiles, noise "none"', async () => {
    expect((await api(server.url, path, { token: tokens.admin })).body).toEqual({ enabled: false, epsilon: 1 });
    const body = await stats();
    expect(body.noise).toBe('none');
    expect(body).not.toHaveProperty('epsilon');
    const shown = body.cells.filter((c: Json) => !c.suppressed).map((c: Json) => c.interactions).sort((x: number, y: number) => x - y);
    // Billing 10:00 (20) is hidden as the complement of General's 2 there.
    expect(shown).toEqual([15, 25, 30, 40]);
    expect(body.cells.find((c: Json) => c.queue === 'general' && c.bucket === new Date(h(9)).toISOString())).toMatchObject({ interactions: 30, waitP50Ms: 15_000, waitP90Ms: 27_000 });
  });

  it('only admins change it, epsilon is checked, and every change is audited', async () => {
    for (const who of ['agent1', 'super1']) expect((await api(server.url, path, { method: 'PUT', token: tokens[who], json: { enabled: true, epsilon: 1 } })).status).toBe(403);
    const zero = await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { enabled: true, epsilon: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toContain('epsilon: at least 0.01');
    const saved = await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { enabled: true, epsilon: 0.5 } });
    expect(saved.body).toEqual({ enabled: true, epsilon: 0.5 });
    const audit = await api(server.url, `/api/audit?action=${AuditAction.reportNoiseChanged}`, { token: tokens.admin });
    expect(audit.body.entries.map((e: Json) => e.details)).toEqual([{ before: { enabled: false, epsilon: 1 }, after: { enabled: true, epsilon: 0.5 } }]);
  });

  it('on: the same cells suppressed for the same reasons (decided on true counts), shown counts noisy but whole and at least k, the same answer when asked again', async () => {
    await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { enabled: false, epsilon: 0.5 } });
    const exact = await stats();
    await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { enabled: true, epsilon: 0.5 } });
    const noisy = await stats();
    expect(noisy.noise).toBe('geometric');
    expect(noisy.epsilon).toBe(0.5);
    expect(pattern(noisy)).toEqual(pattern(exact));
    for (const c of noisy.cells.filter((x: Json) => !x.suppressed)) {
      expect(Number.isInteger(c.interactions)).toBe(true);
      expect(c.interactions).toBeGreaterThanOrEqual(noisy.k);
      expect(c.answered).toBeLessThanOrEqual(c.interactions);
      expect([c.waitP50Ms, c.handleP90Ms, c.transfers, c.securePauses]).toEqual([null, null, null, null]);
    }
    // Averaging many answers learns nothing: a cell keeps its noise while its figures stay.
    expect(await stats()).toEqual(noisy);
    await api(server.url, path, { method: 'PUT', token: tokens.admin, json: { enabled: false, epsilon: 0.5 } });
    expect(await stats()).toEqual(exact);
  });
});
