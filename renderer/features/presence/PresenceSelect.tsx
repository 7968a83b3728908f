import { type ChangeEvent } from 'react';
import { useAppStore } from '../../app/store-context';
import { selectIsLive } from '../connection/connection-slice';
import { type SelectablePresence } from '../../net/ws-client';
import { PRESENCE_LABELS, PRESENCE_OPTIONS } from './presence-labels';
import { selectDisplayedPresence } from './presence-slice';
import './presence.css';

function isSelectable(value: string): value is SelectablePresence {
  return value === 'available' || value === 'busy' || value === 'away';
}

/**
 * Native select on purpose: keyboard and screen-reader support for free. "Offline" is listed so it
 * can be shown while disconnected, but it is not a choice: the server sets it when we are gone.
 */
export function PresenceSelect() {
  const value = useAppStore(selectDisplayedPresence);
  const live = useAppStore(selectIsLive);
  // A choice the server has not confirmed yet: routing does not know it until then.
  const pending = useAppStore((s) => s.presence.requested !== null);
  const choosePresence = useAppStore((s) => s.choosePresence);

  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    if (isSelectable(event.target.value)) choosePresence(event.target.value);
  };

  return (
    <label className="presence-picker">
      <span className="visually-hidden">Your status</span>
      <span className={`presence-dot presence-${value}`} aria-hidden="true" />
      <select
        data-testid="presence-select"
        value={value}
        onChange={onChange}
        disabled={!live}
        aria-busy={pending}
        data-pending={pending ? 'true' : 'false'}
        title={live ? 'Set your status' : 'Status can be changed once connected'}
      >
        {PRESENCE_OPTIONS.map((presence) => (
          <option key={presence} value={presence} disabled={presence === 'offline'}>
            {PRESENCE_LABELS[presence]}
          </option>
        ))}
      </select>
    </label>
  );
}
