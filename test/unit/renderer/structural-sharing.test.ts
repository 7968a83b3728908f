import { describe, expect, it } from 'vitest';
import { shareEqual } from '../../../renderer/features/localdata/structural-sharing';

const item = (id: string, name = 'Ada') => ({ id, customer: { name }, pending: false, tags: ['a'] });

describe('shareEqual (live-query answers keep unchanged objects)', () => {
  it('returns the previous answer when the new one is equal', () => {
    const prev = [item('1'), item('2')];
    expect(shareEqual(prev, [item('1'), item('2')])).toBe(prev);
  });

  it('keeps unchanged rows and replaces only the changed one', () => {
    const prev = [item('1'), item('2'), item('3')];
    const next = shareEqual(prev, [item('1'), item('2', 'Grace'), item('3')]);
    expect(next).not.toBe(prev);
    expect(next[0]).toBe(prev[0]);
    expect(next[1]).not.toBe(prev[1]);
    expect(next[1]!.customer.name).toBe('Grace');
    expect(next[1]!.tags).toBe(prev[1]!.tags);
    expect(next[2]).toBe(prev[2]);
  });

  it('notices added, removed and reordered entries and keys', () => {
    const prev = [item('1'), item('2')];
    expect(shareEqual(prev, [item('1')])).toEqual([item('1')]);
    expect(shareEqual(prev, [item('1'), item('2'), item('3')])).toHaveLength(3);
    expect(shareEqual(prev, [item('2'), item('1')]).map((i) => i.id)).toEqual(['2', '1']);
    const withKey = shareEqual<Record<string, unknown>>({ a: 1 }, { a: 1, b: undefined });
    expect(Object.keys(withKey)).toEqual(['a', 'b']);
    expect(shareEqual<Record<string, unknown>>({ a: 1, b: 2 }, { a: 1 })).toEqual({ a: 1 });
  });

  it('compares other values by identity, and handles the first answer', () => {
    const bytes = new Uint8Array([1]);
    expect(shareEqual({ b: new Uint8Array([1]) }, { b: bytes }).b).toBe(bytes);
    const first = [item('1')];
    expect(shareEqual(undefined, first)).toBe(first);
    expect(shareEqual(first, undefined)).toBeUndefined();
    expect(shareEqual(0, Number.NaN)).toBeNaN();
  });
});
