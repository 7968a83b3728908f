import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../browser/net/backoff';

describe('backoff', () => {
  it('backoff doubles from 0.5 s to a 10 s cap, jitter only shortens', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, undefined, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(backoffDelay(0, undefined, () => 1)).toBe(400);
  });
});
