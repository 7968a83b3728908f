import { useAppStore } from '../../app/store-context';
import './monitoring.css';
import { selectMonitorNotice } from './monitoring-slice';
import { noticeText } from './monitoring-logic';

/** Tells the agent, in the call panel, who is listening to this call (hidden when the org's policy says so). */
export function MonitorNotice({ interactionId }: { interactionId: string }) {
  const notice = useAppStore(selectMonitorNotice(interactionId));
  const text = notice ? noticeText(notice) : null;
  if (!text) return null;
  return (
    <p className="monitor-notice" data-testid="monitor-notice" role="status">
      <span className="monitor-dot" aria-hidden="true" /> {text}
    </p>
  );
}
