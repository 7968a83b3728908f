import { useEffect, useState } from 'react';
import type { Evaluation } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { selectIsAdmin } from '../admin/AdminView';
import { EvaluationCard } from './EvaluationCard';
import { commentEvaluation, exportMyEvaluations, myEvaluations } from './evaluations-api';
import { ScorecardEditor } from './ScorecardEditor';
import './evaluations.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

/** The evaluated agent's one comment (sending again replaces it). */
function CommentForm({ evaluation, onSaved }: { evaluation: Evaluation; onSaved(e: Evaluation): void }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [text, setText] = useState(evaluation.comment?.text ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    if (!token) return;
    setBusy(true);
    try {
      onSaved(await commentEvaluation(serverUrl, token, evaluation.id, text));
      setError(null);
    } catch (err) {
      setError(say(err, 'Could not save the comment; try again.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="evaluation-comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label>
        {evaluation.comment ? 'Change your comment' : 'Your comment'}
        <textarea data-testid="evaluation-comment" value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="button-secondary" data-testid="evaluation-comment-submit" disabled={busy || text.trim() === ''}>
        Send comment
      </button>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** My evaluations: what supervisors scored of the signed-in agent's interactions, with their comment. */
function MyEvaluations() {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [items, setItems] = useState<Evaluation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!token) return;
    let live = true;
    myEvaluations(serverUrl, token).then(
      (list) => live && setItems(list),
      (err: unknown) => live && setError(say(err, 'Could not load your evaluations.')),
    );
    return () => {
      live = false;
    };
  }, [serverUrl, token]);
  const download = async () => {
    if (!token) return;
    try {
      const { blob, fileName } = await exportMyEvaluations(serverUrl, token);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setError(say(err, 'Could not export your evaluations.'));
    }
  };
  return (
    <section className="card my-evaluations" aria-labelledby="my-evaluations-title">
      <div className="card-header">
        <h2 id="my-evaluations-title">My evaluations</h2>
        <p className="muted small">Only you, supervisors and admins see these.</p>
        <button type="button" className="button-secondary" data-testid="evaluations-export" onClick={() => void download()}>
          Export mine
        </button>
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {items?.length === 0 && <p className="muted empty">No evaluation of your work yet.</p>}
      <div className="evaluation-list" data-testid="my-evaluations">
        {items?.map((e) => (
          <EvaluationCard key={e.id} evaluation={e}>
            <CommentForm evaluation={e} onSaved={(saved) => setItems((list) => list?.map((x) => (x.id === saved.id ? saved : x)) ?? null)} />
          </EvaluationCard>
        ))}
      </div>
    </section>
  );
}

/** Evaluations (issue 20): agents' own evaluations; admins' scorecards. Supervisors evaluate from History. */
export function EvaluationsView() {
  const isAdmin = useAppStore(selectIsAdmin);
  const role = useAppStore((s) => s.auth.user?.role);
  return (
    <div className="evaluations-view">
      {isAdmin && <ScorecardEditor />}
      {role === 'agent' && <MyEvaluations />}
      {role === 'supervisor' && (
        <section className="card">
          <h2>Evaluations</h2>
          <p className="muted">Open an ended interaction in History and choose Evaluate. Average scores are in Reports.</p>
        </section>
      )}
    </div>
  );
}
