import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../../../server/modules/routing/deadline-heap';
import { OrderedList } from '../../../../server/modules/routing/ordered-list';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('OrderedList', () => {
  it('stays sorted by (enqueuedAt, seq) through random inserts and removals, with exact ranks', () => {
    const rand = rng(7);
    const list = new OrderedList<{ enqueuedAt: number; seq: number }>();
    const model: { enqueuedAt: number; seq: number }[] = [];
    for (let seq = 0; seq < 2_000; seq++) {
      if (model.length > 0 && rand() < 0.4) {
        const victim = model[Math.floor(rand() * model.length)]!;
        expect(list.remove(victim)).toBe(true);
        expect(list.remove(victim)).toBe(false);
        model.splice(model.indexOf(victim), 1);
      } else {
        const x = { enqueuedAt: Math.floor(rand() * 50), seq };
        list.insert(x);
        model.push(x);
      }
    }
    model.sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.seq - b.seq);
    expect([...list]).toEqual(model);
    expect(list.length).toBe(model.length);
    model.forEach((x, i) => expect(list.rank(x)).toBe(i));
    expect(list.rank({ enqueuedAt: 1, seq: -1 })).toBe(-1);
  });
});

describe('DeadlineHeap', () => {
  it('pops deadlines in time order, ties in insertion order', () => {
    const rand = rng(11);
    const heap = new DeadlineHeap();
    const ats = Array.from({ length: 500 }, () => Math.floor(rand() * 100));
    ats.forEach((at, i) => heap.push({ at, kind: 'offer', interactionId: `i${i}`, token: i }));
    const popped: [number, number][] = [];
    for (let d = heap.pop(); d; d = heap.pop()) popped.push([d.at, d.token]);
    const expected = ats.map((at, i): [number, number] => [at, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(popped).toEqual(expected);
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
  });
});
