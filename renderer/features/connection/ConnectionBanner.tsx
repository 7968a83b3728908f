import { useAppStore } from '../../app/store-context';
import { getBridge } from '../../bridge';
import { useNow } from '../../app/use-now';
import { selectConnection } from './connection-slice';
import './connection.css';

/**
 * Says plainly when the live connection is down and what the user can do about it. Quiet while the
 * first connection is being made, since that normally takes a moment.
 */
export function ConnectionBanner() {
  const { state, attempt, retryAt, problem } = useAppStore(selectConnection);
  const retryNow = useAppStore((s) => s.retryNow);
  const now = useNow(500);

  if (problem) {
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-banner" data-kind="refused">
        <strong>Not connected.</strong> {problem}
        {/* A reload fetches the current web build; the desktop app needs an update instead. */}
        {getBridge().kind === 'web' && (
          <button type="button" className="button-small" onClick={() => window.location.reload()}>
            Reload
          </button>
        )}
      </div>
    );
  }

  if (state === 'reconnecting') {
    const seconds = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
    return (
      <div className="banner banner-warning" role="alert" data-testid="connection-banner" data-kind="reconnecting">
        <strong>Connection lost.</strong>{' '}
        {seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting now'}
        {attempt > 1 ? ` (attempt ${attempt})` : ''}. Your status is kept for a short while. If this continues, check
        your network or VPN.
        <button type="button" className="button-small" onClick={retryNow} data-testid="connection-retry">
          Retry now
        </button>
      </div>
    );
  }

  return null;
}
