import { elapsedSince } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectIsLive } from '../connection/connection-slice';
import { PRESENCE_LABELS } from './presence-labels';
import { selectDisplayedPresence, selectPresence } from './presence-slice';
import './presence.css';

/** The agent's own status card: what others see, and for how long. */
export function MyStatus() {
  const shown = useAppStore(selectDisplayedPresence);
  const { since, requested, error } = useAppStore(selectPresence);
  const live = useAppStore(selectIsLive);
  const now = useNow(1000);
  // While disconnected the server's timer is unknown to us; show no duration rather than a wrong one.
  const elapsed = !live || requested ? null : elapsedSince(since, now);

  return (
    <section className="card" id="my-status" aria-labelledby="my-status-title">
      <h2 id="my-status-title">My status</h2>
      <p className="status-line" data-testid="my-status">
        <span className={`pill presence-${shown}`}>{PRESENCE_LABELS[shown]}</span>
        {requested && <span className="muted"> Saving…</span>}
        {elapsed && <span className="muted"> for {elapsed}</span>}
        {!live && <span className="muted"> (not connected)</span>}
      </p>
      {error && (
        <p className="inline-error" role="alert" data-testid="presence-error">
          {error}
        </p>
      )}
      <p className="muted small">Supervisors see your status and how long you have been in it.</p>
    </section>
  );
}
