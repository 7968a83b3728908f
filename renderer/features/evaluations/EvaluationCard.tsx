import type { Evaluation } from '../../../shared';
import { formatDateTime } from '../../app/format';

/** An answer as its scale's label says it (Yes/No, or the question's label for 1…5). */
export function answerLabel(question: Evaluation['scorecard']['questions'][number], value: number | undefined): string {
  if (value === undefined) return '—';
  const index = question.scale === 'yes_no' ? (value === 1 ? 0 : 1) : value - 1;
  return question.labels[index] ?? String(value);
}

/** One evaluation: score, scorecard and version, each answer, the notes and the agent's comment. */
export function EvaluationCard({ evaluation, children }: { evaluation: Evaluation; children?: React.ReactNode }) {
  const answers = new Map(evaluation.answers.map((a) => [a.questionId, a.value]));
  return (
    <article className="evaluation-card" data-testid="evaluation" data-evaluation-id={evaluation.id}>
      <header className="evaluation-head">
        <strong className="evaluation-score" data-testid="evaluation-score">
          {evaluation.score}
        </strong>
        <span className="muted small">
          / 100 · {evaluation.scorecard.name} (version {evaluation.scorecard.version}) · by {evaluation.evaluator.name} · {formatDateTime(evaluation.createdAt)}
        </span>
      </header>
      <dl className="evaluation-answers">
        {evaluation.scorecard.questions.map((q) => (
          <div key={q.id}>
            <dt>{q.text}</dt>
            <dd>{answerLabel(q, answers.get(q.id))}</dd>
          </div>
        ))}
      </dl>
      {evaluation.notes && <p className="evaluation-notes" data-testid="evaluation-notes">{evaluation.notes}</p>}
      {evaluation.comment && (
        <p className="evaluation-comment-text" data-testid="evaluation-comment-text">
          <span className="muted small">{evaluation.agent.name}'s comment: </span>
          {evaluation.comment.text}
        </p>
      )}
      {children}
    </article>
  );
}
