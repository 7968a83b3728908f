import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { AnswerScale, Scorecard } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { archiveScorecard, createScorecard, listScorecards, updateScorecard } from './evaluations-api';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

interface DraftQuestion {
  id?: string;
  text: string;
  scale: AnswerScale;
  weight: string;
  /** Comma-separated labels; empty for the scale's defaults. */
  labels: string;
}

const blank = (): DraftQuestion => ({ text: '', scale: 'yes_no', weight: '1', labels: '' });

/**
 * Admins' scorecards: name, questions with an answer scale, labels and a weight. Saving a scorecard
 * an evaluation already uses makes a new version on the server (old evaluations keep theirs).
 */
export function ScorecardEditor() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [cards, setCards] = useState<Scorecard[]>([]);
  const [editing, setEditing] = useState<Scorecard | null>(null);
  const [name, setName] = useState('');
  const [questions, setQuestions] = useState<DraftQuestion[]>([blank()]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    if (!token) return;
    try {
      setCards(await listScorecards(serverUrl, token));
    } catch (err) {
      setMessage({ tone: 'error', text: say(err, 'Could not load the scorecards.') });
    }
  }, [serverUrl, token]);
  useEffect(() => void reload(), [reload]);

  const startEdit = (card: Scorecard | null) => {
    setEditing(card);
    setName(card?.name ?? '');
    setQuestions(card ? card.questions.map((q) => ({ id: q.id, text: q.text, scale: q.scale, weight: String(q.weight), labels: q.labels.join(', ') })) : [blank()]);
  };
  const change = (i: number, patch: Partial<DraftQuestion>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    const body = {
      name,
      questions: questions.map((q) => {
        const labels = q.labels.split(',').map((l) => l.trim()).filter(Boolean);
        return { ...(q.id ? { id: q.id } : {}), text: q.text, scale: q.scale, weight: Number(q.weight), ...(labels.length > 0 ? { labels } : {}) };
      }),
    };
    try {
      const saved = editing ? await updateScorecard(serverUrl, token, editing.id, body) : await createScorecard(serverUrl, token, body);
      setMessage({ tone: 'ok', text: editing && saved.id !== editing.id ? `Saved as version ${saved.version}: evaluations already made keep version ${editing.version}.` : 'Saved.' });
      startEdit(null);
      await reload();
    } catch (err) {
      setMessage({ tone: 'error', text: say(err, 'Could not save the scorecard.') });
    } finally {
      setBusy(false);
    }
  };

  const archive = async (card: Scorecard) => {
    if (!token) return;
    try {
      await archiveScorecard(serverUrl, token, card.id);
      if (editing?.id === card.id) startEdit(null);
      await reload();
    } catch (err) {
      setMessage({ tone: 'error', text: say(err, 'Could not archive it.') });
    }
  };

  return (
    <section className="card scorecards" aria-labelledby="scorecards-title">
      <div className="card-header">
        <h2 id="scorecards-title">Scorecards</h2>
        <p className="muted small">Supervisors evaluate ended interactions against these, from History.</p>
      </div>
      <ul className="scorecard-list" data-testid="scorecard-list">
        {cards.map((c) => (
          <li key={c.id} data-testid="scorecard-item">
            <span>
              {c.name} <span className="muted small">version {c.version} · {c.questions.length} questions{c.inUse ? ' · in use' : ''}</span>
            </span>
            <button type="button" className="link-button" onClick={() => startEdit(c)}>
              Edit
            </button>
            <button type="button" className="link-button" onClick={() => void archive(c)}>
              Archive
            </button>
          </li>
        ))}
        {cards.length === 0 && <li className="muted small">No scorecard yet.</li>}
      </ul>
      <form className="scorecard-form" onSubmit={(e) => void save(e)}>
        <h3>{editing ? `Edit ${editing.name}` : 'New scorecard'}</h3>
        <label>
          Name
          <input data-testid="scorecard-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        {questions.map((q, i) => (
          <fieldset key={i} className="scorecard-question" data-testid="scorecard-question">
            <legend>Question {i + 1}</legend>
            <label>
              Question
              <input data-testid="scorecard-question-text" value={q.text} maxLength={300} onChange={(e) => change(i, { text: e.target.value })} />
            </label>
            <label>
              Answer scale
              <select data-testid="scorecard-question-scale" value={q.scale} onChange={(e) => change(i, { scale: e.target.value as AnswerScale, labels: '' })}>
                <option value="yes_no">Yes / No</option>
                <option value="one_to_five">1 to 5</option>
              </select>
            </label>
            <label>
              Labels <span className="muted small">(optional, comma-separated: {q.scale === 'yes_no' ? '2' : '5'})</span>
              <input data-testid="scorecard-question-labels" value={q.labels} onChange={(e) => change(i, { labels: e.target.value })} />
            </label>
            <label>
              Weight
              <input data-testid="scorecard-question-weight" type="number" min="0.1" max="100" step="0.1" value={q.weight} onChange={(e) => change(i, { weight: e.target.value })} />
            </label>
            {questions.length > 1 && (
              <button type="button" className="link-button" onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}>
                Remove question
              </button>
            )}
          </fieldset>
        ))}
        <div className="scorecard-actions">
          <button type="button" className="button-secondary" data-testid="scorecard-question-add" onClick={() => setQuestions((qs) => [...qs, blank()])}>
            Add question
          </button>
          <button type="submit" className="button-primary" data-testid="scorecard-save" disabled={busy}>
            Save scorecard
          </button>
          {editing && (
            <button type="button" className="button-secondary" onClick={() => startEdit(null)}>
              Cancel
            </button>
          )}
        </div>
        {message && (
          <p className={message.tone === 'ok' ? 'muted' : 'inline-error'} role={message.tone === 'ok' ? 'status' : 'alert'} data-testid="scorecard-message">
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
