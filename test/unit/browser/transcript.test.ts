import { describe, expect, it } from 'vitest';
import { isChatMessage, lastSeq, mergeMessages } from '../../../browser/chat/transcript';
import { msg } from '../widget/fakes';

describe('transcript merge', () => {
  it('orders by seq whatever the arrival order', () => {
    const merged = mergeMessages([], [msg(3), msg(1), msg(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('drops duplicates when hello.customer replays what is already shown', () => {
    const shown = mergeMessages([], [msg(1), msg(2, 'customer')]);
    const replay = [msg(1), msg(2, 'customer'), msg(3)];
    const merged = mergeMessages(shown, replay);
    expect(merged.map((m) => m.id)).toEqual(['id-1', 'id-2', 'id-3']);
  });

  it('keeps one entry per seq and per id; the newest copy wins', () => {
    const merged = mergeMessages([msg(1, 'agent', 'old')], [msg(1, 'agent', 'new')]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.text).toBe('new');
    // Same id reported under another seq: only the new placement stays.
    const moved = mergeMessages([msg(1), msg(2)], [{ ...msg(2), seq: 5 }]);
    expect(moved.map((m) => `${m.id}@${m.seq}`)).toEqual(['id-1@1', 'id-2@5']);
  });

  it('returns the same array when nothing changed (no re-render)', () => {
    const current = mergeMessages([], [msg(1), msg(2)]);
    expect(mergeMessages(current, [msg(2)])).toBe(current);
    expect(mergeMessages(current, [])).toBe(current);
  });

  it('ignores malformed entries instead of breaking the view', () => {
    const merged = mergeMessages([msg(1)], [{ id: 'x', seq: 0 } as never, null as never, msg(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2]);
    expect(isChatMessage({ ...msg(1), from: 'robot' })).toBe(false);
  });

  it('lastSeq is the highest seq, 0 when empty', () => {
    expect(lastSeq([])).toBe(0);
    expect(lastSeq(mergeMessages([], [msg(4), msg(9)]))).toBe(9);
  });
});
