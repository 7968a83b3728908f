import './localdata.css';
import { useAppStore } from '../../app/store-context';
import { selectIsLive } from '../connection/connection-slice';
import { selectLocalData } from './localdata-slice';
import { syncStatusText } from './sync-status-text';
import { useSyncFacts } from './use-local';

/** Top-bar line: offline with N changes waiting, sending, backfill progress, or up to date. */
export function SyncStatus() {
  const online = useAppStore(selectIsLive);
  const local = useAppStore(selectLocalData);
  const facts = useSyncFacts();
  // Locked or unreadable local data has its own banner (LocalDataBanner).
  if (local.status !== 'ready' && local.status !== 'opening') return null;
  const text = syncStatusText(online, facts);
  const b = facts?.backfill;
  const syncing = b && !b.done && b.total > 0;
  return (
    <div
      className={`sync-status${online ? '' : ' offline'}`}
      data-testid="sync-status"
      role="status"
      aria-live="polite"
      data-waiting={facts?.waiting ?? 0}
      data-backfill-applied={b?.applied ?? 0}
      data-backfill-total={b?.total ?? 0}
      data-backfill-done={b ? String(b.done) : 'unknown'}
    >
      <span>{text}</span>
      {syncing && <progress max={b.total} value={b.applied} aria-label="History download" />}
    </div>
  );
}
