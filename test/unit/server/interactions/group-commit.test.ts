import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../../server/modules/interactions/group-commit';

describe('GroupCommit', () => {
  it('writes rows added in one event-loop turn in one batch, and resolves each only after its batch is written', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const writer = new GroupCommit<number>(async (rows) => {
      batches.push(rows);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
    });
    const resolved: number[] = [];
    const first = [1, 2, 3].map((n) => writer.add(n).then(() => resolved.push(n)));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2, 3]]);
    // Added while the first write is in progress: they wait and go together in the next batch.
    const second = [4, 5].map((n) => writer.add(n).then(() => resolved.push(n)));
    await new Promise((r) => setImmediate(r));
    expect(resolved).toEqual([]);
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(resolved).toEqual([1, 2, 3, 4, 5]);
  });

  it('splits large batches at maxBatch', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommit<number>(async (rows) => void batches.push(rows), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => writer.add(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a failing batch is retried row by row, so only the bad row fails', async () => {
    const written: number[] = [];
    const writer = new GroupCommit<number>(async (rows) => {
      if (rows.includes(2)) throw new Error(`row 2 is bad`);
      written.push(...rows);
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => writer.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(written).toEqual([1, 3]);
  });

  it('idle resolves once everything added so far is written', async () => {
    const written: number[] = [];
    const writer = new GroupCommit<number>(async (rows) => {
      await new Promise((r) => setTimeout(r, 5));
      written.push(...rows);
    });
    void writer.add(1);
    void writer.add(2);
    await writer.idle();
    expect(written).toEqual([1, 2]);
  });

  it('a row added by a continuation of the last batch is still written', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommit<number>(async (rows) => void batches.push(rows));
    await writer.add(1).then(() => writer.add(2));
    expect(batches).toEqual([[1], [2]]);
  });

  it('with a gap, rows added soon after a write wait and go together in the next one; an idle writer writes at once', async () => {
    const batches: number[][] = [];
    const writer = new GroupCommit<number>(async (rows) => void batches.push(rows), 256, 50);
    const first = writer.add(1);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1]]);
    await first;
    const writtenAt = performance.now();
    // Three turns in a row, right after the first write: one batch, written once the gap has passed.
    const later: Promise<void>[] = [];
    for (const n of [2, 3, 4]) {
      later.push(writer.add(n));
      await new Promise((r) => setImmediate(r));
    }
    expect(batches).toEqual([[1]]);
    await Promise.all(later);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(performance.now() - writtenAt).toBeGreaterThanOrEqual(45);
  });
});
