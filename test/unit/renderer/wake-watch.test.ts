import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchWakeAndRoaming } from '../../../renderer/features/connection/wake-watch';

describe('waking and roaming', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a long gap between ticks (sleep) and a network change each ask for a fresh start; regular ticks do not', () => {
    vi.useFakeTimers({ now: 0 });
    let clock = 0;
    const woke: string[] = [];
    const connection = new EventTarget();
    const stop = watchWakeAndRoaming({ onWake: (why) => woke.push(why), now: () => clock, options: { intervalMs: 2_000, gapMs: 10_000 }, connection });
    for (let i = 0; i < 5; i++) {
      clock += 2_000;
      vi.advanceTimersByTime(2_000);
    }
    expect(woke).toEqual([]);
    // The machine sleeps for a minute: the clock jumps, the next tick comes late.
    clock += 62_000;
    vi.advanceTimersByTime(2_000);
    expect(woke).toEqual(['the computer woke up after about 60 s']);
    connection.dispatchEvent(new Event('change'));
    expect(woke.at(-1)).toBe('the network changed');
    stop();
    connection.dispatchEvent(new Event('change'));
    clock += 100_000;
    vi.advanceTimersByTime(10_000);
    expect(woke).toHaveLength(2);
  });
});
