import { useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { selectLocalData } from './localdata-slice';
import './localdata.css';

const changes = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'change' : 'changes'}`;

/**
 * Local data that is closed: locked (the key cannot be had now; nothing deleted, tried again) or
 * unreadable (no key opens it; removed only if the user chooses so here). History and the
 * workspace keep working online meanwhile.
 */
export function LocalDataBanner() {
  const local = useAppStore(selectLocalData);
  const retry = useAppStore((s) => s.retryLocalData);
  const remove = useAppStore((s) => s.removeUnreadableLocalData);
  const [busy, setBusy] = useState(false);
  const run = (fn: () => Promise<void>) => {
    setBusy(true);
    void fn().finally(() => setBusy(false));
  };

  if (local.status === 'locked') {
    return (
      <div className="notice notice-error local-data-banner" role="alert" data-testid="local-data-locked">
        <span>
          <strong>Your local data is locked.</strong> {local.error} Meanwhile history and new work need the connection.
        </span>
        <button type="button" className="button-secondary" data-testid="local-data-retry" disabled={busy} onClick={() => run(retry)}>
          Try again now
        </button>
      </div>
    );
  }
  if (local.status === 'unreadable' && local.unreadable) {
    const { waiting } = local.unreadable;
    return (
      <div className="notice notice-error local-data-banner" role="alert" data-testid="local-data-unreadable">
        <span>
          <strong>Your local data cannot be opened:</strong> it was encrypted with a key this computer no longer has (the
          keychain was reset or the key removed). It stays closed and nothing has been deleted.
          {waiting > 0 && <> It holds {changes(waiting)} not yet sent to the server, which removing it would lose.</>} To keep
          working offline, remove it and download your history again.
        </span>
        <button type="button" className="button-secondary" data-testid="local-data-remove-unreadable" disabled={busy} onClick={() => run(remove)}>
          Remove it and download history again
        </button>
      </div>
    );
  }
  return null;
}
