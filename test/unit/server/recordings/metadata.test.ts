import { describe, expect, it } from 'vitest';
import { missingSeqs, pausesWithin, recordedMs } from '../../../../server/modules/recordings/metadata';
import type { PauseRow } from '../../../../server/modules/secure-pause/pause-intervals';

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 10, 0, s)).toISOString();
const pause = (id: number, start: number, end: number | null): PauseRow => ({
  id,
  interaction_id: 'i',
  started_at: at(start),
  ended_at: end === null ? null : at(end),
  actor_id: 'u',
  actor_name: 'agent1',
  ended_by: null,
});

describe('missingSeqs', () => {
  it('lists gaps below the highest stored or announced seq', () => {
    expect(missingSeqs([], null)).toEqual([]);
    expect(missingSeqs([0, 1, 2], null)).toEqual([]);
    expect(missingSeqs([2, 0], null)).toEqual([1]);
    expect(missingSeqs([0, 3], 5)).toEqual([1, 2, 4, 5]);
    expect(missingSeqs([], 1)).toEqual([0, 1]);
    expect(missingSeqs([0, 1], -1)).toEqual([]);
  });
});

describe('pausesWithin and recordedMs', () => {
  it('clips pauses to the recording and subtracts them', () => {
    const rows = [pause(1, 0, 5), pause(2, 12, 15), pause(3, 28, null), pause(4, 40, 41)];
    const within = pausesWithin(rows, at(10), at(30));
    expect(within).toEqual([
      { startedAt: at(12), endedAt: at(15), actor: 'agent1' },
      { startedAt: at(28), endedAt: at(30), actor: 'agent1' },
    ]);
    expect(recordedMs(at(10), at(30), within)).toBe(15_000);
    expect(recordedMs(at(10), null, within)).toBeNull();
  });

  it('keeps an open pause open while the recording goes on', () => {
    expect(pausesWithin([pause(1, 3, null)], at(0), null)).toEqual([{ startedAt: at(3), endedAt: null, actor: 'agent1' }]);
    expect(pausesWithin([pause(1, 0, 20)], at(5), null)).toEqual([{ startedAt: at(5), endedAt: at(20), actor: 'agent1' }]);
  });
});

describe('segmentsOf', () => {
  it('reports chunks and missing seqs per segment, each against its own announced last seq', async () => {
    const { segmentsOf } = await import('../../../../server/modules/recordings/metadata');
    const c = (segment: number, seq: number) => ({ segment, seq, bytes: 10 });
    expect(
      segmentsOf(
        [c(0, 0), c(0, 2), c(1, 0), c(1, 1)],
        [
          { segment: 0, last_seq: 3 },
          { segment: 1, last_seq: 1 },
          { segment: 2, last_seq: -1 },
          { segment: 3, last_seq: 1 },
        ],
      ),
    ).toEqual([
      { segment: 0, chunks: 2, bytes: 20, lastSeq: 3, missingSeqs: [1, 3] },
      { segment: 1, chunks: 2, bytes: 20, lastSeq: 1, missingSeqs: [] },
      // A segment announced with chunks none of which arrived; an empty one (-1) is not listed.
      { segment: 3, chunks: 0, bytes: 0, lastSeq: 1, missingSeqs: [0, 1] },
    ]);
  });
});
