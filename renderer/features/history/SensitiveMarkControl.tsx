import { useState } from 'react';
import { SENSITIVE_CATEGORY_LABELS, SensitiveCategory, type SensitiveMark } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { markSensitive } from './sensitive-api';
import './sensitive.css';

/**
 * Privacy principle 4: shows an interaction's sensitive mark ("Sensitive: health"), or lets the user
 * mark it: pick a category, confirm. The server decides who may (the handling agent, supervisors,
 * admins) and audits the mark; changing or removing one is left to the HTTP API for now.
 */
export function SensitiveMarkControl({ interactionId, mark, onMarked }: { interactionId: string; mark: SensitiveMark | null | undefined; onMarked(mark: SensitiveMark | null): void }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [choosing, setChoosing] = useState(false);
  const [category, setCategory] = useState<SensitiveCategory>('health');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (mark) {
    return (
      <p className="sensitive-badge" data-testid="sensitive-badge" data-category={mark.category}>
        Sensitive: {SENSITIVE_CATEGORY_LABELS[mark.category]}
      </p>
    );
  }

  const confirm = async () => {
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      onMarked(await markSensitive(serverUrl, token, interactionId, category));
      setChoosing(false);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not mark it. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sensitive-mark">
      {!choosing && (
        <button type="button" className="button-secondary" data-testid="sensitive-mark" onClick={() => setChoosing(true)}>
          Mark sensitive
        </button>
      )}
      {choosing && (
        <>
          <label>
            Sensitive data:{' '}
            <select data-testid="sensitive-category" value={category} onChange={(e) => setCategory(SensitiveCategory.parse(e.target.value))} disabled={busy}>
              {SensitiveCategory.options.map((option) => (
                <option key={option} value={option}>
                  {SENSITIVE_CATEGORY_LABELS[option]}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" className="button-accent" data-testid="sensitive-confirm" onClick={() => void confirm()} disabled={busy}>
            Confirm
          </button>{' '}
          <button type="button" className="button-secondary" onClick={() => setChoosing(false)} disabled={busy}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <p className="inline-error small" role="alert" data-testid="sensitive-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The control for the interaction open in History (server detail), kept in the history slice. */
export function HistorySensitiveSection({ id }: { id: string }) {
  const detail = useAppStore((s) => s.history.detail);
  const setMark = useAppStore((s) => s.setHistorySensitiveMark);
  const data = detail?.id === id && detail.status === 'ready' ? detail.data : null;
  if (!data) return null;
  return <SensitiveMarkControl interactionId={id} mark={data.sensitive} onMarked={(mark) => setMark(id, mark)} />;
}
