import { useEffect, useState } from 'react';
import type { DesktopBridge, UpdateStatus } from '../../../shared';
import { updateNoticeView, watchUpdateStatus } from './update-notice';
import './update.css';

/**
 * Desktop: a downloaded update, and the agent's choice to restart into it now. Main refuses during
 * a chat or call (main/update); otherwise the update installs when Veildesk closes.
 */
export function UpdateNotice({ bridge }: { bridge: DesktopBridge }) {
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => watchUpdateStatus(bridge, setStatus), [bridge]);
  const view = updateNoticeView(status, refusal);
  if (!view || !bridge.installUpdateNow) return null;
  const install = bridge.installUpdateNow.bind(bridge);
  const restart = async (): Promise<void> => {
    setBusy(true);
    try {
      const answer = await install();
      setRefusal(answer.installing ? null : answer.reason);
    } catch (error) {
      setRefusal(`The update could not start: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="update-notice" role="status" data-testid="update-ready">
      <span>{view.text}</span>
      <button type="button" data-testid="update-restart" disabled={!view.canRestart || busy} onClick={() => void restart()}>
        Restart now
      </button>
      {view.hint && <span className="update-hint">{view.hint}</span>}
    </div>
  );
}
