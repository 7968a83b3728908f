import { useAppStore } from '../../app/store-context';
import { type ConnectionState } from '../../net/ws-client';
import { selectConnectionState } from './connection-slice';
import './connection.css';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/** One-line connection state for the top bar. */
export function ConnectionStatus() {
  const state = useAppStore(selectConnectionState);
  return (
    <span className={`connection-state conn-${state}`} data-testid="connection-state" data-state={state} role="status">
      <span className="conn-dot" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}
