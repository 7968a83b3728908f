import { useAppStore } from '../../app/store-context';
import { StreamAudio } from '../devices/StreamAudio';
import './monitoring.css';
import { selectMonitorNotice } from './monitoring-slice';
import { noticeText } from './monitoring-logic';

/**
 * Tells the agent, in the call panel, who is listening to this call (hidden when the org's policy
 * says so) and, always, who whispers or barges and in which mode; plays that supervisor's voice.
 */
export function MonitorNotice({ interactionId }: { interactionId: string }) {
  const notice = useAppStore(selectMonitorNotice(interactionId));
  const text = notice ? noticeText(notice) : null;
  if (!text) return null;
  return (
    <p className="monitor-notice" data-testid="monitor-notice" data-mode={notice?.voice?.mode ?? 'listen'} role="status">
      <span className="monitor-dot" aria-hidden="true" /> {text}
      {notice?.voice && <StreamAudio stream={notice.voiceStream} testId="monitor-voice-audio" />}
    </p>
  );
}
