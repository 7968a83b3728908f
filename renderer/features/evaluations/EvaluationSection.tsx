import { type FormEvent, useEffect, useState } from 'react';
import type { Evaluation, InteractionStatus, Scorecard } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { answerLabel, EvaluationCard } from './EvaluationCard';
import { createEvaluation, interactionEvaluations, listScorecards } from './evaluations-api';
import './evaluations.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

/** The scorecard form: one answer per question, notes, submit; the server computes the score. */
function EvaluateForm({ interactionId, onDone, onCancel }: { interactionId: string; onDone(e: Evaluation): void; onCancel(): void }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [cards, setCards] = useState<Scorecard[] | null>(null);
  const [cardId, setCardId] = useState('');
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [notes, setNotes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    let live = true;
    listScorecards(serverUrl, token).then(
      (list) => {
        if (!live) return;
        setCards(list);
        setCardId(list[0]?.id ?? '');
      },
      (err: unknown) => live && setError(say(err, 'Could not load the scorecards.')),
    );
    return () => {
      live = false;
    };
  }, [serverUrl, token]);

  const card = cards?.find((c) => c.id === cardId) ?? null;
  const complete = card !== null && card.questions.every((q) => answers[q.id] !== undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token || !card) return;
    setBusy(true);
    try {
      const answerList = card.questions.map((q) => ({ questionId: q.id, value: answers[q.id]! }));
      onDone(await createEvaluation(serverUrl, token, { interactionId, scorecardId: card.id, answers: answerList, ...(notes.trim() ? { notes } : {}) }));
    } catch (err) {
      setError(say(err, 'Could not save the evaluation; try again.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="evaluate-form" data-testid="evaluate-form" onSubmit={(e) => void submit(e)}>
      {cards?.length === 0 && <p className="muted small">No scorecard yet: an admin defines them under Evaluations.</p>}
      {cards && cards.length > 0 && (
        <label>
          Scorecard
          <select
            data-testid="evaluate-scorecard"
            value={cardId}
            onChange={(e) => {
              setCardId(e.target.value);
              setAnswers({});
            }}
          >
            {cards.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} (version {c.version})
              </option>
            ))}
          </select>
        </label>
      )}
      {card?.questions.map((q) => (
        <label key={q.id} className="evaluate-question">
          <span>
            {q.text} <span className="muted small">(weight {q.weight})</span>
          </span>
          <select
            data-testid="evaluation-answer"
            data-question-id={q.id}
            value={answers[q.id] === undefined ? '' : String(answers[q.id])}
            onChange={(e) => setAnswers((a) => ({ ...a, [q.id]: Number(e.target.value) }))}
          >
            <option value="" disabled>
              Pick an answer
            </option>
            {(q.scale === 'yes_no' ? [1, 0] : [1, 2, 3, 4, 5]).map((v) => (
              <option key={v} value={v}>
                {answerLabel(q, v)}
              </option>
            ))}
          </select>
        </label>
      ))}
      {card && (
        <label>
          Notes
          <textarea data-testid="evaluation-notes-input" value={notes} maxLength={4000} onChange={(e) => setNotes(e.target.value)} />
        </label>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="evaluate-actions">
        <button type="submit" className="button-primary" data-testid="evaluation-submit" disabled={busy || !complete}>
          Submit evaluation
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * An ended interaction's evaluations in History; supervisors and admins evaluate it here against
 * a scorecard. Agents see only their own (the server decides).
 */
export function EvaluationSection({ interactionId, status }: { interactionId: string; status: InteractionStatus }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const role = useAppStore((s) => s.auth.user?.role);
  const [items, setItems] = useState<Evaluation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!token) return;
    let live = true;
    setItems(null);
    setOpen(false);
    interactionEvaluations(serverUrl, token, interactionId).then(
      (list) => live && (setItems(list), setError(null)),
      (err: unknown) => live && setError(say(err, 'Could not load the evaluations.')),
    );
    return () => {
      live = false;
    };
  }, [serverUrl, token, interactionId]);

  const coach = role === 'supervisor' || role === 'admin';
  const ended = status === 'wrapup' || status === 'closed';
  if (!coach && items?.length === 0) return null;
  return (
    <section className="evaluation-section" data-testid="history-evaluations" aria-label="Evaluations">
      <h4>Evaluations</h4>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {items?.length === 0 && <p className="muted small">Not evaluated yet.</p>}
      {items?.map((e) => <EvaluationCard key={e.id} evaluation={e} />)}
      {coach && ended && !open && (
        <button type="button" className="button-secondary" data-testid="evaluate-start" onClick={() => setOpen(true)}>
          Evaluate
        </button>
      )}
      {open && (
        <EvaluateForm
          interactionId={interactionId}
          onCancel={() => setOpen(false)}
          onDone={(e) => {
            setItems((list) => [...(list ?? []), e]);
            setOpen(false);
          }}
        />
      )}
    </section>
  );
}
