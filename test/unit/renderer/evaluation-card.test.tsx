import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../../shared';
import { EvaluationCard } from '../../../renderer/features/evaluations/EvaluationCard';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const evaluation: Evaluation = {
  id: 'e1',
  interactionId: 'i1',
  interactionKind: 'chat',
  interactionAt: '2026-03-04T09:05:00Z',
  queueId: 'general',
  agent: { id: 'a1', name: 'Agent One' },
  evaluator: { id: 's1', name: 'Sam Super' },
  scorecard: {
    id: 'c1',
    familyId: 'f1',
    name: 'Chat quality',
    version: 2,
    questions: [
      { id: 'q1', text: 'Greeted?', scale: 'yes_no', labels: ['Yes', 'No'], weight: 2 },
      { id: 'q2', text: 'Tone', scale: 'one_to_five', labels: ['Poor', 'Weak', 'Fair', 'Good', 'Great'], weight: 1 },
    ],
  },
  answers: [
    { questionId: 'q1', value: 0 },
    { questionId: 'q2', value: 4 },
  ],
  score: 25,
  notes: null,
  comment: { text: 'I disagree', at: '2026-03-05T10:00:00Z' },
  createdAt: '2026-03-05T09:00:00Z',
  updatedAt: '2026-03-05T09:00:00Z',
};

describe('an evaluation as the agent and supervisors read it', () => {
  it('shows the score, the scorecard version, each answer by its label and the comment; no notes line once they are erased', () => {
    const shown = text(renderToStaticMarkup(<EvaluationCard evaluation={evaluation} />));
    expect(shown).toContain('25 / 100 · Chat quality (version 2) · by Sam Super');
    expect(shown).toContain('Greeted? No');
    expect(shown).toContain('Tone Good');
    expect(shown).toMatch(/Agent One(&#x27;|')s comment: I disagree/);
    expect(renderToStaticMarkup(<EvaluationCard evaluation={evaluation} />)).not.toContain('evaluation-notes');
  });
});
