import { useEffect, useState } from 'react';
import { SENSITIVE_CATEGORY_LABELS, SensitiveCategory, type SensitiveMark } from '../../../shared';
import { useAppStore } from '../../app/store-context';
import { ApiError } from '../../net/api-client';
import { markSensitive } from './sensitive-api';
import './sensitive.css';

/** What the control shows: its buttons, the category picker (marking or changing), or the removal's confirmation. */
export type SensitiveControlMode = 'idle' | 'choosing' | 'removing';

export interface SensitiveMarkViewProps {
  mark: SensitiveMark | null | undefined;
  /** May change the category and remove the mark (admins, supervisors with the `sensitive` permission). */
  canManage: boolean;
  mode: SensitiveControlMode;
  category: SensitiveCategory;
  busy: boolean;
  error: string | null;
  onMode(mode: SensitiveControlMode): void;
  onCategory(category: SensitiveCategory): void;
  onConfirm(): void;
}

/**
 * The mark and its controls, without state (rendered as they are in tests). Unmarked: "Mark
 * sensitive", then a category and Confirm. Marked: the badge; for those who may manage it also
 * "Change category" (the picker again) and "Remove mark" (Confirm after a line saying what removal does).
 */
export function SensitiveMarkView(props: SensitiveMarkViewProps) {
  const { mark, canManage, mode, category, busy, error } = props;
  const unchanged = mark !== null && mark !== undefined && mark.category === category;
  return (
    <div className="sensitive-mark">
      {mark && (
        <p className="sensitive-badge" data-testid="sensitive-badge" data-category={mark.category}>
          Sensitive: {SENSITIVE_CATEGORY_LABELS[mark.category]}
        </p>
      )}
      {mode === 'idle' && !mark && (
        <button type="button" className="button-secondary" data-testid="sensitive-mark" onClick={() => props.onMode('choosing')}>
          Mark sensitive
        </button>
      )}
      {mode === 'idle' && mark && canManage && (
        <span className="sensitive-manage">
          <button type="button" className="button-ghost small" data-testid="sensitive-change" onClick={() => props.onMode('choosing')}>
            Change category
          </button>{' '}
          <button type="button" className="button-ghost small" data-testid="sensitive-remove" onClick={() => props.onMode('removing')}>
            Remove mark
          </button>
        </span>
      )}
      {mode === 'choosing' && (
        <>
          <label>
            Sensitive data:{' '}
            <select data-testid="sensitive-category" value={category} onChange={(e) => props.onCategory(SensitiveCategory.parse(e.target.value))} disabled={busy}>
              {SensitiveCategory.options.map((option) => (
                <option key={option} value={option}>
                  {SENSITIVE_CATEGORY_LABELS[option]}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" className="button-accent" data-testid="sensitive-confirm" onClick={props.onConfirm} disabled={busy || unchanged}>
            Confirm
          </button>{' '}
          <button type="button" className="button-secondary" onClick={() => props.onMode('idle')} disabled={busy}>
            Cancel
          </button>
        </>
      )}
      {mode === 'removing' && (
        <p className="small" data-testid="sensitive-remove-notice">
          Remove the mark? Supervisors without the sensitive permission will see this interaction again, and its reads are no longer audited.{' '}
          <button type="button" className="button-danger" data-testid="sensitive-confirm" onClick={props.onConfirm} disabled={busy}>
            Remove
          </button>{' '}
          <button type="button" className="button-secondary" onClick={() => props.onMode('idle')} disabled={busy}>
            Cancel
          </button>
        </p>
      )}
      {error && (
        <p className="inline-error small" role="alert" data-testid="sensitive-error">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Who may change or remove a mark, as the app can tell: admins, and supervisors. A supervisor who
 * sees a marked interaction at all holds the `sensitive` permission (the server refuses it to the
 * others in history, sync and the live panels), so the role decides here; the server checks again.
 */
export const selectMayManageSensitive = (s: { auth: { user: { role: string } | null } }): boolean => s.auth.user?.role === 'admin' || s.auth.user?.role === 'supervisor';

/**
 * Privacy principle 4: shows an interaction's sensitive mark ("Sensitive: health"), or lets the user
 * mark it: pick a category, confirm; those allowed also change its category or remove it. The
 * server decides who may and audits each change.
 */
export function SensitiveMarkControl({
  interactionId,
  mark,
  onMarked,
  preselect,
}: {
  interactionId: string;
  mark: SensitiveMark | null | undefined;
  onMarked(mark: SensitiveMark | null): void;
  /** A keyword suggestion the agent chose to act on: opens the picker on its category (a new object each time). */
  preselect?: { category: SensitiveCategory } | null;
}) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const canManage = useAppStore(selectMayManageSensitive);
  const [mode, setMode] = useState<SensitiveControlMode>('idle');
  const [category, setCategory] = useState<SensitiveCategory>('health');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!preselect || mark) return;
    setError(null);
    setCategory(preselect.category);
    setMode('choosing');
  }, [preselect, mark]);

  const changeMode = (next: SensitiveControlMode) => {
    setError(null);
    // Changing starts from the current category.
    if (next === 'choosing') setCategory(mark?.category ?? 'health');
    setMode(next);
  };

  const confirm = async () => {
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      onMarked(await markSensitive(serverUrl, token, interactionId, mode === 'removing' ? null : category));
      setMode('idle');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : mode === 'removing' ? 'Could not remove the mark. Try again.' : 'Could not mark it. Try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <SensitiveMarkView
      mark={mark}
      canManage={canManage}
      mode={mode}
      category={category}
      busy={busy}
      error={error}
      onMode={changeMode}
      onCategory={setCategory}
      onConfirm={() => void confirm()}
    />
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
