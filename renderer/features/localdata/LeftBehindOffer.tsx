import { useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { selectLocalData } from './localdata-slice';

/** After sign-out: the signed-out user's encrypted data is still here; offer to remove it. */
export function LeftBehindOffer() {
  const left = useAppStore((s) => selectLocalData(s).leftBehind);
  const remove = useAppStore((s) => s.removeLeftBehindData);
  const dismiss = useAppStore((s) => s.dismissLeftBehind);
  const [busy, setBusy] = useState(false);
  if (!left) return null;
  return (
    <div className="notice notice-info local-data-offer" data-testid="local-data-offer" role="status">
      <span>
        {left.name}’s history is still on this computer (encrypted) for offline use.
      </span>
      <button
        type="button"
        className="button-secondary"
        data-testid="local-data-remove"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void remove().finally(() => setBusy(false));
        }}
      >
        Remove local data from this computer
      </button>
      <button type="button" className="link-button" onClick={dismiss}>
        Keep it
      </button>
    </div>
  );
}
