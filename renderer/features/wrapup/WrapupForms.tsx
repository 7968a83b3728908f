import { type FormEvent, useEffect, useRef } from 'react';
import { formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { KIND_LABELS, customerLabel } from '../offers/offer-logic';
import { wrapupRemainingMs } from './wrapup-logic';
import { type WrapupEntry, selectWrapupList } from './wrapup-slice';
import './wrapup.css';

function WrapupForm({ entry, now }: { entry: WrapupEntry; now: number }) {
  const setField = useAppStore((s) => s.setWrapupField);
  const submit = useAppStore((s) => s.submitWrapup);
  const live = useAppStore(selectIsLive);
  // Offline the wrap-up can still be finished: it waits in the local outbox.
  const canQueue = useAppStore((s) => s.localData.status === 'ready');
  const remaining = wrapupRemainingMs(entry.deadline, now);
  const id = entry.interactionId;
  const title = entry.summary ? `${KIND_LABELS[entry.summary.kind]} with ${customerLabel(entry.summary.customer)}` : 'Interaction';
  const errorId = `wrapup-error-${id}`;
  const dispositionRef = useRef<HTMLSelectElement>(null);

  // The conversation just ended and its controls went away with the focus: the wrap-up is where the
  // keyboard goes next. Never taken from anything else (another chat's reply box, the navigation).
  useEffect(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || (active as HTMLInputElement).disabled === true;
    const inThisConversation = active instanceof HTMLElement && active.closest(`[data-interaction-id="${CSS.escape(id)}"]`) !== null;
    if (lost || inThisConversation) dispositionRef.current?.focus();
    // Only when the form appears.
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(id);
  };

  return (
    <form className="card wrapup-form" data-testid="wrapup-form" data-interaction-id={id} onSubmit={onSubmit} aria-label={`Wrap-up: ${title}`} noValidate>
      <div className="card-header">
        <h3>Wrap-up: {title}</h3>
        <p className={`wrapup-remaining small${remaining !== null && remaining < 30_000 ? ' urgent' : ''}`} data-testid="wrapup-remaining" role="timer">
          {remaining === null ? '' : remaining > 0 ? `${formatDuration(remaining)} left` : 'Time is up'}
        </p>
      </div>
      {entry.summary && <p className="muted small">{entry.summary.queueName}</p>}
      <label className="field">
        <span>Disposition</span>
        <select
          ref={dispositionRef}
          data-testid="wrapup-disposition"
          value={entry.disposition}
          onChange={(e) => setField(id, 'disposition', e.target.value)}
          aria-invalid={entry.error !== null && !entry.disposition}
          aria-describedby={entry.error ? errorId : undefined}
          required
        >
          <option value="">Choose a disposition</option>
          {entry.dispositions.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Notes</span>
        <textarea data-testid="wrapup-notes" rows={3} maxLength={4000} value={entry.notes} onChange={(e) => setField(id, 'notes', e.target.value)} />
      </label>
      {entry.error && (
        <p className="inline-error small" role="alert" id={errorId} data-testid="wrapup-error">
          {entry.error}
        </p>
      )}
      <button type="submit" className="button-accent" data-testid="wrapup-submit" disabled={entry.submitting || (!live && !canQueue)}>
        {entry.submitting ? 'Submitting…' : live ? 'Submit wrap-up' : 'Save wrap-up (sent when back online)'}
      </button>
    </form>
  );
}

/** One form per interaction waiting for its disposition. */
export function WrapupForms() {
  const entries = useAppStore(selectWrapupList);
  const now = useNow(1000);
  if (entries.length === 0) return null;
  return (
    <>
      {entries.map((entry) => (
        <WrapupForm key={entry.interactionId} entry={entry} now={now} />
      ))}
    </>
  );
}
