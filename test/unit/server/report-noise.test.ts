import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnonymousCell } from '../../../shared/api/reports';
import { CellNoise } from '../../../server/modules/reports/cell-noise';
import { cryptoSource, discreteLaplace, geometricNoise, type RandomSource } from '../../../server/modules/reports/geometric-noise';

/** A source that counts its draws and hands them to crypto.randomInt. */
function countingSource(): RandomSource & { calls: number } {
  const src = { calls: 0, randomInt: (max: number) => (src.calls++, crypto.randomInt(max)) };
  return src;
}

const shownCell = (interactions: number, answered: number, abandoned: number): AnonymousCell => ({
  queue: 'general',
  bucket: '2026-03-02T10:00:00.000Z',
  interactions,
  suppressed: false,
  answered,
  abandoned,
  waitP50Ms: 1_000,
  waitP90Ms: 2_000,
  handleP50Ms: 3_000,
  handleP90Ms: 4_000,
  transfers: 1,
  securePauses: 0,
});

describe('two-sided geometric noise', () => {
  afterEach(() => vi.restoreAllMocks());

  it("the server's source is the operating system's CSPRNG, and the noise code never calls Math.random", () => {
    const mathRandom = vi.spyOn(Math, 'random');
    expect(typeof cryptoSource.randomInt(10)).toBe('number');
    const draw = geometricNoise(cryptoSource, 1, 2);
    for (let i = 0; i < 50; i++) draw();
    expect(mathRandom).not.toHaveBeenCalled();
    for (const file of ['geometric-noise.ts', 'cell-noise.ts']) {
      const text = fs.readFileSync(path.join(import.meta.dirname, '../../../server/modules/reports', file), 'utf8');
      expect(text, file).not.toContain('Math.random');
    }
    const source = fs.readFileSync(path.join(import.meta.dirname, '../../../server/modules/reports/geometric-noise.ts'), 'utf8');
    expect(source).toMatch(/import \{ randomInt \} from 'node:crypto'/);
  });

  it('draws only from the source it is given (injected), and every draw is a whole number: on the grid of counts', () => {
    const src = countingSource();
    const draw = geometricNoise(src, 0.5, 2);
    const values = Array.from({ length: 2_000 }, draw);
    expect(src.calls).toBeGreaterThan(2_000);
    for (const v of values) expect(Number.isSafeInteger(v)).toBe(true);
    // Not constant: noise, not an offset.
    expect(new Set(values).size).toBeGreaterThan(5);
  });

  it('has mean 0 and the variance 2α/(1−α)² of the two-sided geometric law, α = exp(−ε/Δ)', () => {
    for (const [epsilon, sensitivity] of [
      [1, 2],
      [0.5, 1],
      [2, 2],
    ] as const) {
      const draw = geometricNoise(cryptoSource, epsilon, sensitivity);
      const n = 40_000;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const z = draw();
        sum += z;
        squares += z * z;
      }
      const alpha = Math.exp(-epsilon / sensitivity);
      const variance = (2 * alpha) / (1 - alpha) ** 2;
      const mean = sum / n;
      // The sample mean's standard error is sqrt(variance / n): 5 of them is a 1-in-a-million miss.
      expect(Math.abs(mean), `mean at ε=${epsilon}`).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(squares / n - mean * mean, `variance at ε=${epsilon}`).toBeGreaterThan(variance * 0.9);
      expect(squares / n - mean * mean, `variance at ε=${epsilon}`).toBeLessThan(variance * 1.1);
    }
  });

  it('P(0) is (1−α)/(1+α), as the exact law says (s = t = 1: α = e⁻¹)', () => {
    const n = 40_000;
    let zeros = 0;
    for (let i = 0; i < n; i++) if (discreteLaplace(cryptoSource, 1, 1) === 0) zeros++;
    const alpha = Math.exp(-1);
    const p0 = (1 - alpha) / (1 + alpha);
    expect(Math.abs(zeros / n - p0)).toBeLessThan(5 * Math.sqrt((p0 * (1 - p0)) / n));
  });
});

describe('noise on anonymous statistics cells', () => {
  it('blurs the counts of a shown cell within what the response already says, and withholds unbounded measures and percentiles', () => {
    const noise = new CellNoise(countingSource());
    for (let i = 0; i < 200; i++) {
      const out = noise.apply({ ...shownCell(12, 9, 2), bucket: `2026-03-02T${String(i % 24).padStart(2, '0')}:00:00.000Z`, queue: `q${i}` }, 10, 0.5);
      expect(out.interactions).toBeGreaterThanOrEqual(10);
      expect(out.answered).toBeGreaterThanOrEqual(0);
      expect(out.answered).toBeLessThanOrEqual(out.interactions!);
      expect(out.abandoned).toBeLessThanOrEqual(out.interactions!);
      expect([out.waitP50Ms, out.waitP90Ms, out.handleP50Ms, out.handleP90Ms, out.transfers, out.securePauses]).toEqual([null, null, null, null, null, null]);
      for (const v of [out.interactions, out.answered, out.abandoned]) expect(Number.isInteger(v)).toBe(true);
    }
  });

  it('leaves a suppressed cell as it is, and gives a cell the same noise each time it is asked for while its figures stay', () => {
    const noise = new CellNoise();
    const hidden: AnonymousCell = { ...shownCell(0, 0, 0), interactions: null, suppressed: true, reason: 'below_k' };
    expect(noise.apply(hidden, 10, 1)).toBe(hidden);
    const first = noise.apply(shownCell(40, 30, 5), 10, 0.1);
    for (let i = 0; i < 20; i++) expect(noise.apply(shownCell(40, 30, 5), 10, 0.1)).toEqual(first);
    // A different state of the cell gets a new draw (a large ε makes most draws 0: compare many).
    const others = Array.from({ length: 30 }, (_, i) => noise.apply(shownCell(41 + i, 30, 5), 10, 0.1).interactions! - (41 + i));
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});
