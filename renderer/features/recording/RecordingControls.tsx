import { formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { canSecurePause, selectCallRecording } from './recording-slice';
import './recording.css';

/** Shown whenever the call is recorded: red while capturing, grey while securely paused. */
export function RecordingIndicator({ interactionId }: { interactionId: string }) {
  const rec = useAppStore(selectCallRecording(interactionId));
  if (!rec?.recording) return null;
  return (
    <span className={`recording-indicator${rec.paused ? ' is-paused' : ''}`} data-testid="recording-indicator" data-paused={rec.paused} role="status">
      <span className="recording-dot" aria-hidden="true" />
      {rec.paused ? 'Recording paused' : 'Recording'}
    </span>
  );
}

/**
 * Secure pause: stops the recording and live monitoring at their source at once; only the agent
 * resumes. Shown while the call is recorded or monitored (where the org's policy lets a pause stop it).
 */
export function SecurePauseButton({ interactionId, disabled }: { interactionId: string; disabled?: boolean }) {
  const rec = useAppStore(selectCallRecording(interactionId));
  const available = useAppStore((s) => canSecurePause(s, interactionId));
  const toggle = useAppStore((s) => s.toggleSecurePause);
  if (!available) return null;
  const paused = rec?.paused === true;
  const recorded = rec?.recording === true;
  return (
    <button
      type="button"
      className="button-toggle secure-pause"
      data-testid="secure-pause"
      aria-pressed={paused}
      title={`Secure pause (Ctrl+Shift+P in the desktop app): nothing is ${recorded ? 'recorded or heard by listeners' : 'heard by listeners'} until you resume`}
      onClick={() => toggle(interactionId)}
      disabled={disabled}
    >
      {paused ? (recorded ? 'Resume recording' : 'Resume') : 'Secure pause'}
    </button>
  );
}

/** While paused (recorded or only monitored): how long, and a reminder once the org's time is up. It never resumes by itself. */
export function PauseBanner({ interactionId }: { interactionId: string }) {
  const rec = useAppStore(selectCallRecording(interactionId));
  const toggle = useAppStore((s) => s.toggleSecurePause);
  const now = useNow(500);
  if (!rec?.paused || rec.pausedSince === null) return null;
  const elapsed = now - rec.pausedSince;
  const remind = elapsed >= rec.reminderAfterSeconds * 1000;
  return (
    <div className={`banner pause-banner${remind ? ' banner-warning' : ''}`} data-testid="pause-banner" role="status">
      {/* Unrecorded: the pause holds live monitoring only. */}
      <strong>{rec.recording ? 'Recording paused' : 'Secure pause: listeners hear nothing'}</strong> <span data-testid="pause-elapsed">{formatDuration(elapsed)}</span>
      {remind && (
        <span className="pause-reminder" data-testid="pause-reminder" role="alert">
          {' '}
          Still paused. Resume {rec.recording ? 'recording ' : ''}once the sensitive part is over.
        </span>
      )}
      <button type="button" className="button-secondary" onClick={() => toggle(interactionId)}>
        Resume
      </button>
    </div>
  );
}
