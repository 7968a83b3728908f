import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { suppress, type SuppressionReason } from '../../../server/modules/reports/suppression';
import { alignRange, blockOf, blockRange, bucketsIn } from '../../../server/modules/reports/buckets';

const lines = (r: (SuppressionReason | null)[][]) => [...r, ...r[0]!.map((_, c) => r.map((row) => row[c]!))];

describe('complementary suppression', () => {
  it('hides every cell under k, then the smallest shown cell of any row or column with one hidden cell, until stable', () => {
    const reasons = suppress(
      [
        [12, 1, 30],
        [15, 11, 40],
      ],
      10,
    );
    expect(reasons).toEqual([
      ['complementary', 'below_k', null],
      ['complementary', 'complementary', null],
    ]);
  });

  it('zero is under k too, and a table with nothing under k is shown whole', () => {
    expect(suppress([[0, 20], [20, 20]], 10)[0]![0]).toBe('below_k');
    expect(suppress([[10, 20], [30, 40]], 10).flat().every((r) => r === null)).toBe(true);
  });

  it('a single cell in its line has nothing to pair with and stays alone (its total is never published)', () => {
    expect(suppress([[3]], 10)).toEqual([['below_k']]);
    expect(suppress([[3, 20, 30]], 10)).toEqual([['below_k', 'complementary', null]]);
  });

  it('for 500 random tables: no row or column of two or more cells has exactly one suppressed cell, every cell under k is suppressed, shown cells keep their counts', () => {
    for (let t = 0; t < 500; t += 1) {
      const rows = randomInt(2, 7);
      const cols = randomInt(2, 25);
      const k = randomInt(5, 15);
      const counts = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (randomInt(0, 4) === 0 ? randomInt(0, k) : randomInt(0, 60))));
      const reasons = suppress(counts, k);
      for (const line of lines(reasons)) expect(line.filter((r) => r !== null).length).not.toBe(1);
      counts.forEach((row, r) =>
        row.forEach((n, c) => {
          if (n < k) expect(reasons[r]![c]).toBe('below_k');
          else expect(reasons[r]![c]).not.toBe('below_k');
        }),
      );
    }
  });
});

describe('report buckets', () => {
  it('ranges widen to fixed UTC hour or day boundaries', () => {
    expect(alignRange('2026-03-02T10:30:00.000Z', '2026-03-02T11:30:00.000Z', 'hour')).toEqual({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T12:00:00.000Z' });
    expect(alignRange('2026-03-02T10:30:00.000Z', '2026-03-02T11:30:00.000Z', 'day')).toEqual({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' });
    expect(bucketsIn({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T12:00:00.000Z' }, 'hour')).toEqual(['2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z']);
  });

  it('suppression blocks are fixed: the UTC day of an hour, the calendar month of a day', () => {
    expect(blockOf('2026-03-02T10:00:00.000Z', 'hour')).toBe('2026-03-02T00:00:00.000Z');
    expect(blockOf('2026-03-02T00:00:00.000Z', 'day')).toBe('2026-03-01T00:00:00.000Z');
    expect(blockRange({ from: '2026-03-02T10:00:00.000Z', to: '2026-03-02T12:00:00.000Z' }, 'hour')).toEqual({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' });
    expect(blockRange({ from: '2026-03-15T00:00:00.000Z', to: '2026-04-02T00:00:00.000Z' }, 'day')).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' });
    expect(blockRange({ from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' }, 'day')).toEqual({ from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  });
});
