import { useEffect, useState } from 'react';
import type { ConsentRecord, InteractionKind, InteractionStatus } from '../../../shared';
import { formatDateTime } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { addTrainingItem, interactionConsents, withdrawConsent } from './consent-api';
import './training.css';

const say = (err: unknown, fallback: string): string => (err instanceof ApiError ? err.message : fallback);

/**
 * An interaction's consents in History (a line per purpose: given when, under which notice version,
 * withdrawn when and by whom), with withdraw for admins, and `training-add` for supervisors and
 * admins once it has ended. The server decides; a refusal (no consent, sensitive without opt-in) is
 * shown as it says it.
 */
export function ConsentSection({ interactionId, kind, status }: { interactionId: string; kind: InteractionKind; status: InteractionStatus }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const role = useAppStore((s) => s.auth.user?.role);
  const [consents, setConsents] = useState<ConsentRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [training, setTraining] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    if (!token) return;
    let live = true;
    setConsents(null);
    setTraining(null);
    interactionConsents(serverUrl, token, interactionId).then(
      (list) => live && (setConsents(list), setError(null)),
      (err: unknown) => live && setError(say(err, 'Could not load the consents.')),
    );
    return () => {
      live = false;
    };
  }, [serverUrl, token, interactionId]);

  const withdraw = async (id: string) => {
    if (!token) return;
    setBusy(true);
    try {
      const updated = await withdrawConsent(serverUrl, token, id);
      setConsents((list) => list?.map((c) => (c.id === id ? updated : c)) ?? null);
      setError(null);
    } catch (err) {
      setError(say(err, 'Could not withdraw it. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  const addToTraining = async () => {
    if (!token) return;
    setBusy(true);
    try {
      await addTrainingItem(serverUrl, token, { interactionId, what: kind === 'call' ? 'recording' : 'transcript' });
      setTraining({ tone: 'ok', text: 'Added to the training library.' });
    } catch (err) {
      setTraining({ tone: 'error', text: say(err, 'Could not add it. Try again.') });
    } finally {
      setBusy(false);
    }
  };

  const coach = role === 'supervisor' || role === 'admin';
  const ended = status === 'wrapup' || status === 'closed';
  return (
    <section className="consent-section" data-testid="history-consents" aria-label="Consent">
      <h4>Consent</h4>
      {consents === null && !error && <p className="muted small">Loading…</p>}
      {consents?.length === 0 && <p className="muted small">The customer agreed to nothing beyond the conversation.</p>}
      {consents && consents.length > 0 && (
        <ul className="consent-lines">
          {consents.map((c) => (
            <li key={c.id} data-testid="history-consent" data-purpose={c.purposeId} data-withdrawn={c.withdrawnAt ? 'true' : 'false'}>
              <span>{c.purposeLabel}</span>
              <span className="muted small">
                {' '}
                · given {formatDateTime(c.givenAt)} in the widget, notice {c.noticeVersion}
                {c.withdrawnAt && ` · withdrawn ${formatDateTime(c.withdrawnAt)} by ${c.withdrawnBy === 'customer' ? 'the customer' : 'an admin'}`}
              </span>
              {!c.withdrawnAt && role === 'admin' && (
                <>
                  {' '}
                  <button type="button" className="link-button" data-testid="consent-withdraw" disabled={busy} onClick={() => void withdraw(c.id)}>
                    Withdraw
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="inline-error small" role="alert" data-testid="consent-error">
          {error}
        </p>
      )}
      {coach && ended && (
        <div className="training-add">
          <button type="button" className="button-secondary" data-testid="training-add" disabled={busy} onClick={() => void addToTraining()}>
            Add {kind === 'call' ? 'recording' : 'transcript'} to training
          </button>
          {training && (
            <p className={training.tone === 'ok' ? 'muted small' : 'inline-error small'} role={training.tone === 'error' ? 'alert' : 'status'} data-testid={training.tone === 'ok' ? 'training-added' : 'training-error'}>
              {training.text}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
