import { useAppStore } from '../../app/store-context';
import { selectIsLive } from '../connection/connection-slice';
import { StreamAudio } from '../devices/StreamAudio';

/**
 * The consult in progress: for the call's agent (the customer on hold, complete or cancel) and for
 * the agent consulted (answer or decline, then talk; the call comes to them if it is completed).
 */
export function ConsultPanel() {
  const consult = useAppStore((s) => s.consult);
  const me = useAppStore((s) => s.auth.user?.id ?? null);
  const live = useAppStore(selectIsLive);
  const accept = useAppStore((s) => s.acceptConsult);
  const cancel = useAppStore((s) => s.cancelConsult);
  const complete = useAppStore((s) => s.completeConsult);
  if (!consult) return null;
  const { view } = consult;
  const mine = view.fromUserId === me;
  const talking = view.state === 'talking';
  const line = mine
    ? talking
      ? `Consulting ${view.toName}. The customer is on hold and hears the hold tone.`
      : `Calling ${view.toName} to consult. The customer is on hold.`
    : talking
      ? `Consult with ${view.fromName} about a call in ${view.queueName}.`
      : `${view.fromName} wants to consult you about a call in ${view.queueName}.`;
  return (
    <section className="card call-panel consult-panel" data-testid="consult-panel" data-state={view.state} aria-label="Consult" aria-live="polite">
      <p className="call-state" role="status" data-testid="consult-state" data-reconnecting={consult.reconnecting ? 'true' : undefined}>
        {line}
        {consult.reconnecting ? ' Reconnecting audio…' : ''}
      </p>
      {consult.error && (
        <p className="inline-error small" role="alert">
          {consult.error}
        </p>
      )}
      <div className="call-controls">
        {!mine && view.state === 'ringing' && (
          <button type="button" className="button-accent" data-testid="consult-accept" onClick={accept} disabled={!live}>
            Answer consult
          </button>
        )}
        {mine && (
          <button type="button" className="button-accent" data-testid="consult-complete" onClick={complete} disabled={!live || !talking}>
            Complete transfer
          </button>
        )}
        <button type="button" className="button-secondary" data-testid="consult-cancel" onClick={cancel} disabled={!live}>
          {mine ? 'Cancel consult' : talking ? 'Leave consult' : 'Decline'}
        </button>
      </div>
      <StreamAudio stream={consult.remoteStream} testId="consult-audio" />
    </section>
  );
}
