import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AnonymousNoiseSettings, ReportRow, ReportSettings } from '../../../shared';
import { ReportNoiseForm } from '../../../renderer/features/admin/ReportNoiseForm';
import { ReportSettingsForm } from '../../../renderer/features/admin/ReportSettingsScreen';
import type { PolicyForm } from '../../../renderer/features/admin/use-policy-form';
import { partsOf, rangeOf } from '../../../renderer/features/reports/report-range';
import { fetchReport } from '../../../renderer/features/reports/reports-api';
import { ReportsPanel, type ReportProgress } from '../../../renderer/features/reports/ReportsView';

const ROW: ReportRow = {
  group: { kind: 'queue', id: 'general', name: 'General' },
  bucket: '2026-03-02T10:00:00.000Z',
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
};

const render = (over: { progress?: ReportProgress; error?: string | null; rows?: ReportRow[] | null } = {}) =>
  renderToStaticMarkup(
    <ReportsPanel
      from="2026-03-01"
      to="2026-03-07"
      by="queue,hour"
      onChange={() => undefined}
      onRun={() => undefined}
      onCsv={() => undefined}
      progress={over.progress ?? null}
      error={over.error ?? null}
      shown={over.rows === null || over.rows === undefined ? null : { rows: over.rows, bucket: 'hour', group: 'queue' }}
    />,
  );

describe('Reports view', () => {
  it('has the form hooks and shows a row per queue and hour: counts, seconds, dispositions, sensitive as a count', () => {
    const html = render({ rows: [ROW] });
    for (const hook of ['report-from', 'report-to', 'report-by', 'report-run', 'report-csv', 'report-table', 'report-row']) expect(html).toContain(`data-testid="${hook}"`);
    expect(html).not.toContain('data-testid="report-progress"');
    const row = /<tr data-testid="report-row"[^]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<td>General</td><td>2026-03-02 10:00 UTC</td><td>4</td><td>3</td><td>1</td><td>30.0 s</td><td>50.0 s</td><td>120.0 s</td><td>210.0 s</td><td>Follow-up needed 1, Resolved 2</td><td>1</td><td>2</td><td>1</td>');
  });

  it('while loading shows the progress and disables Run and CSV; an error says what the server said; no rows says so', () => {
    const loading = render({ progress: { done: 2, total: 5 } });
    expect(loading).toMatch(/data-testid="report-progress"[^>]*>Loading… 2 of 5 parts ready/);
    expect(/<button[^>]*data-testid="report-run"[^>]*>/.exec(loading)![0]).toContain('disabled');
    expect(/<button[^>]*data-testid="report-csv"[^>]*>/.exec(loading)![0]).toContain('disabled');
    expect(render({ error: 'to must be after from' })).toMatch(/data-testid="report-error"[^>]*>to must be after from/);
    expect(render({ rows: [] })).toContain('data-testid="report-empty"');
  });

  it('cuts a long range into whole weeks of UTC days (both dates included) and checks the answer', async () => {
    const range = rangeOf('2026-03-01', '2026-03-20');
    expect(range).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-21T00:00:00.000Z' });
    expect(partsOf(range as { from: string; to: string }).map((p) => p.from.slice(0, 10))).toEqual(['2026-03-01', '2026-03-08', '2026-03-15']);
    expect(rangeOf('2026-03-05', '2026-03-01')).toEqual({ error: 'The end date is before the start date.' });
    const calls: string[] = [];
    const ok = (async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify({ from: 'a', to: 'b', group: 'queue', bucket: 'hour', rows: [ROW] }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    expect((await fetchReport('http://s', 'tok', { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', by: 'queue,hour' }, ok)).rows).toEqual([ROW]);
    expect(calls[0]).toBe('http://s/api/reports?from=2026-03-01T00%3A00%3A00.000Z&to=2026-03-02T00%3A00%3A00.000Z&by=queue%2Chour');
  });
});

describe('Admin → Anonymous statistics', () => {
  const formOf = (overrides: Partial<PolicyForm<ReportSettings>>): PolicyForm<ReportSettings> => ({
    load: { status: 'ready', saved: { anonymousK: 10 } },
    draft: { anonymousK: 10 },
    setDraft: () => undefined,
    changed: false,
    saving: false,
    result: null,
    save: async () => undefined,
    retry: () => undefined,
    ...overrides,
  });
  const saveButton = (html: string) => /<button[^>]*data-testid="report-settings-save"[^>]*>/.exec(html)?.[0] ?? '';

  it('shows k; Save only for a changed k of at least 5', () => {
    const saved = renderToStaticMarkup(<ReportSettingsForm form={formOf({})} />);
    expect(saved).toMatch(/data-testid="report-settings-k"[^>]*value="10"/);
    expect(saveButton(saved)).toContain('disabled');
    expect(saveButton(renderToStaticMarkup(<ReportSettingsForm form={formOf({ draft: { anonymousK: 12 }, changed: true })} />))).not.toContain('disabled');
    expect(saveButton(renderToStaticMarkup(<ReportSettingsForm form={formOf({ draft: { anonymousK: 4 }, changed: true })} />))).toContain('disabled');
  });
});

describe('Admin → Anonymous statistics: noise', () => {
  const formOf = (overrides: Partial<PolicyForm<AnonymousNoiseSettings>>): PolicyForm<AnonymousNoiseSettings> => ({
    load: { status: 'ready', saved: { enabled: false, epsilon: 1 } },
    draft: { enabled: false, epsilon: 1 },
    setDraft: () => undefined,
    changed: false,
    saving: false,
    result: null,
    save: async () => undefined,
    retry: () => undefined,
    ...overrides,
  });
  const saveButton = (html: string) => /<button[^>]*data-testid="report-noise-save"[^>]*>/.exec(html)?.[0] ?? '';

  it('shows noise off by default with ε; Save only for a change with ε in range', () => {
    const off = renderToStaticMarkup(<ReportNoiseForm form={formOf({})} />);
    expect(off).toMatch(/<input type="checkbox" data-testid="report-noise-enabled"(?![^>]*checked)[^>]*>/);
    expect(off).toMatch(/data-testid="report-noise-epsilon"[^>]*value="1"/);
    expect(saveButton(off)).toContain('disabled');
    expect(saveButton(renderToStaticMarkup(<ReportNoiseForm form={formOf({ draft: { enabled: true, epsilon: 0.5 }, changed: true })} />))).not.toContain('disabled');
    expect(saveButton(renderToStaticMarkup(<ReportNoiseForm form={formOf({ draft: { enabled: true, epsilon: 0 }, changed: true })} />))).toContain('disabled');
  });
});
