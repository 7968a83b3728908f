import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from '../../../../server/kernel/time-ordered-id';

describe('timeOrderedId', () => {
  it('makes valid, unique UUIDv7s that sort in creation order, also many within one ms and when the clock goes back', () => {
    // Ahead of every id this process made before (files share a worker): its ids then carry t itself.
    const t = Date.now() + 3_600_000;
    const ids = [
      ...Array.from({ length: 5000 }, () => timeOrderedId(t)), // more than the 4,096 a ms holds
      timeOrderedId(t - 10_000),
      timeOrderedId(t + 60_000),
    ];
    for (const id of ids) expect(z.uuidv7().safeParse(id).success, id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The time it carries is when it was made.
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });
});
