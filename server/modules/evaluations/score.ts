import { SCALE_VALUES, type EvaluationAnswer, type ScorecardQuestion } from '../../../shared/api/evaluations';
import { DomainError } from '../../kernel/errors';

/** An answer's share of its question's weight: Yes 1, No 0; 1…5 as (v − 1) / 4. */
function fraction(question: ScorecardQuestion, value: number): number {
  return question.scale === 'yes_no' ? value : (value - 1) / 4;
}

/**
 * The weighted score (0–100, one decimal) of answers to a scorecard's questions: Σ wᵢ·fᵢ / Σ wᵢ.
 * Every question must be answered once with a value of its scale (400 otherwise, naming it), so a
 * score always means the same questions.
 */
export function weightedScore(questions: readonly ScorecardQuestion[], answers: readonly EvaluationAnswer[]): number {
  const byId = new Map<string, number>();
  for (const a of answers) {
    if (byId.has(a.questionId)) throw new DomainError('bad_request', `Invalid evaluation: question ${a.questionId.slice(0, 64)} is answered twice.`);
    byId.set(a.questionId, a.value);
  }
  let weighted = 0;
  let total = 0;
  for (const q of questions) {
    const value = byId.get(q.id);
    if (value === undefined) throw new DomainError('bad_request', `Invalid evaluation: answer "${q.text.slice(0, 80)}".`);
    if (!SCALE_VALUES[q.scale].includes(value)) throw new DomainError('bad_request', `Invalid evaluation: "${q.text.slice(0, 80)}" takes ${SCALE_VALUES[q.scale].join(', ')}.`);
    weighted += q.weight * fraction(q, value);
    total += q.weight;
    byId.delete(q.id);
  }
  const extra = [...byId.keys()][0];
  if (extra !== undefined) throw new DomainError('bad_request', `Invalid evaluation: the scorecard has no question ${extra.slice(0, 64)}.`);
  return Math.round((weighted / total) * 1000) / 10;
}
