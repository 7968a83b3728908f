import { useAppStore } from '../../app/store-context';
import { selectSecurePause } from '../secure-pause/secure-pause-slice';
import { selectCallRecording } from './recording-slice';
import './recording.css';

/** Shown whenever the call is recorded: red while capturing, grey while securely paused. */
export function RecordingIndicator({ interactionId }: { interactionId: string }) {
  const rec = useAppStore(selectCallRecording(interactionId));
  const paused = useAppStore((s) => selectSecurePause(interactionId)(s)?.paused === true);
  if (!rec?.recording) return null;
  return (
    <span className={`recording-indicator${paused ? ' is-paused' : ''}`} data-testid="recording-indicator" data-paused={paused} role="status">
      <span className="recording-dot" aria-hidden="true" />
      {paused ? 'Recording paused' : 'Recording'}
    </span>
  );
}
