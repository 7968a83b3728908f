import { describe, expect, it } from 'vitest';
import { WakeDetector } from '../../../browser/net/wake-detector';

describe('wake detector', () => {
  it('regular or slightly late ticks are not sleep; a long gap is, and says how long', () => {
    const d = new WakeDetector({ intervalMs: 2_000, gapMs: 10_000 });
    expect(d.tick(0)).toBeNull();
    expect(d.tick(2_000)).toBeNull();
    expect(d.tick(7_000)).toBeNull(); // a busy main thread, 5 s late
    expect(d.tick(7_000 + 62_000)).toBe(60_000);
    expect(d.tick(71_000)).toBeNull();
  });
});
