import { describe, expect, it } from 'vitest';
import type { ScorecardQuestion } from '../../../../shared/api/evaluations';
import { weightedScore } from '../../../../server/modules/evaluations/score';

const q = (id: string, scale: ScorecardQuestion['scale'], weight: number): ScorecardQuestion => ({ id, text: `Question ${id}`, scale, labels: [], weight });
const CARD = [q('a', 'yes_no', 2), q('b', 'one_to_five', 1), q('c', 'one_to_five', 0.5)];

describe('weightedScore', () => {
  it('weighs each answer: Yes 1, No 0, 1…5 as (v − 1) / 4; 0–100 with one decimal', () => {
    expect(weightedScore(CARD, [{ questionId: 'a', value: 1 }, { questionId: 'b', value: 5 }, { questionId: 'c', value: 5 }])).toBe(100);
    expect(weightedScore(CARD, [{ questionId: 'a', value: 0 }, { questionId: 'b', value: 1 }, { questionId: 'c', value: 1 }])).toBe(0);
    // (2·1 + 1·0.75 + 0.5·0.5) / 3.5 = 0.857142…
    expect(weightedScore(CARD, [{ questionId: 'c', value: 3 }, { questionId: 'a', value: 1 }, { questionId: 'b', value: 4 }])).toBe(85.7);
  });

  it('refuses a missing, repeated, unknown or out-of-scale answer, naming it', () => {
    expect(() => weightedScore(CARD, [{ questionId: 'a', value: 1 }, { questionId: 'b', value: 5 }])).toThrow(/Question c/);
    expect(() => weightedScore(CARD, [{ questionId: 'a', value: 1 }, { questionId: 'a', value: 0 }, { questionId: 'b', value: 5 }, { questionId: 'c', value: 5 }])).toThrow(/twice/);
    expect(() => weightedScore(CARD, [{ questionId: 'a', value: 1 }, { questionId: 'b', value: 5 }, { questionId: 'c', value: 5 }, { questionId: 'z', value: 1 }])).toThrow(/no question z/);
    expect(() => weightedScore(CARD, [{ questionId: 'a', value: 2 }, { questionId: 'b', value: 5 }, { questionId: 'c', value: 5 }])).toThrow(/takes 1, 0/);
    expect(() => weightedScore(CARD, [{ questionId: 'a', value: 1 }, { questionId: 'b', value: 0 }, { questionId: 'c', value: 5 }])).toThrow(/takes 1, 2, 3, 4, 5/);
  });
});
