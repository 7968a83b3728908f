import { elapsedSince } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { selectAvailableShares } from './share-slice';

/** Shares this user was chosen for; one click joins. */
export function SharesList() {
  const shares = useAppStore(selectAvailableShares);
  const watching = useAppStore((s) => s.watching);
  const joinShare = useAppStore((s) => s.joinShare);
  const now = useNow();
  if (shares.length === 0) return null;
  return (
    <section className="card share-list-card" aria-label="Screens shared with you">
      <h2>Screens shared with you</h2>
      <ul className="share-list" data-testid="shares-list">
        {shares.map((s) => {
          const active = watching?.share.shareId === s.shareId && watching.status !== 'ended';
          return (
            <li key={s.shareId} className="share-item" data-testid="share-item" data-share-id={s.shareId} data-sharer={s.sharerName}>
              <span className="share-item-name">{s.sharerName}</span>
              <span className="muted small">
                {s.width}×{s.height}, for {elapsedSince(s.startedAt, now) ?? '—'}
                {s.blanked ? ', paused' : ''}
              </span>
              <button type="button" className="button-primary button-small" data-testid="share-join" disabled={active} onClick={() => joinShare(s.shareId)}>
                {active ? 'Watching' : 'Join'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
