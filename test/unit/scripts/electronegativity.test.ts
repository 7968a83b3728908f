import { describe, expect, it } from 'vitest';
import { judge, parseReport, splitCsvLine } from '../../../scripts/desktop/electronegativity-report';
import { scanDesktopApp } from '../../../scripts/desktop/electronegativity';

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
const row = (issue: string, severity: string, sample = 'x') =>
  `${issue},"${severity}","FIRM","main/main.ts","39:21","${sample.replace(/"/g, '""')}","Review it",https://github.com/doyensec/electronegativity/wiki/${issue}`;

describe('electronegativity report', () => {
  it('splits quoted CSV fields with commas and doubled quotes', () => {
    expect(splitCsvLine('A,"b, c","say ""hi""",d')).toEqual(['A', 'b, c', 'say "hi"', 'd']);
  });

  it('passes with only informational and low findings', () => {
    const verdict = judge(parseReport([HEADER, row('CSP_GLOBAL_CHECK', 'LOW'), row('ELECTRON_VERSION_JSON_CHECK', 'INFORMATIONAL'), ''].join('\n')));
    expect(verdict.ok).toBe(true);
    expect(verdict.lines[0]).toBe('Electronegativity: 1 informational, 1 low, 0 medium, 0 high, 0 critical');
  });

  it('fails on a medium or high finding and names it with its place', () => {
    const verdict = judge(parseReport([HEADER, row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'shell.openExternal(url, "x")'), row('CONTEXT_ISOLATION_JS_CHECK', 'HIGH')].join('\n')));
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toMatch(/MEDIUM OPEN_EXTERNAL_JS_CHECK at main\/main.ts:39:21/);
    expect(verdict.lines.join('\n')).toMatch(/eng-disable/);
  });

  it('fails on a report it cannot read (missing header, a mangled line)', () => {
    expect(judge(parseReport('')).ok).toBe(false);
    expect(judge(parseReport([HEADER, 'ted in the target application",https://x'].join('\n'))).ok).toBe(false);
  });
});

describe('npm run lint:electron on this repository', () => {
  // Offline this takes about 15 s, nearly all of it the tool waiting on its translation download
  // (two attempts with retries); about 2 s of CPU.
  it('finds nothing of medium severity or above in main/, preload/ and renderer/', { timeout: 90_000 }, async () => {
    const result = await scanDesktopApp();
    expect(result.lines.join('\n')).toMatch(/0 medium, 0 high, 0 critical/);
    expect(result.report.unreadable).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
