import { formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { type AppState } from '../../app/store-types';
import { useNow } from '../../app/use-now';
import { selectCallRecording } from '../recording/recording-slice';
import { canSecurePause, selectSecurePause } from './secure-pause-slice';
import './secure-pause.css';

/** Recorded: the call's audio, or (a chat) the agent's screen. A call's screen alone keeps the wording of before. */
function isRecorded(s: AppState, interactionId: string): boolean {
  const entry = selectCallRecording(interactionId)(s);
  return entry?.recording === true || (s.chats.byId[interactionId] !== undefined && (entry?.screen ?? null) !== null);
}

/**
 * Secure pause: stops the recording and live monitoring at their source at once; only the agent
 * resumes. Shown while the call is recorded or monitored (where the org's policy lets a pause stop it).
 */
export function SecurePauseButton({ interactionId, disabled }: { interactionId: string; disabled?: boolean }) {
  const pause = useAppStore(selectSecurePause(interactionId));
  const recorded = useAppStore((s) => isRecorded(s, interactionId));
  const available = useAppStore((s) => canSecurePause(s, interactionId));
  const toggle = useAppStore((s) => s.toggleSecurePause);
  if (!available) return null;
  const paused = pause?.paused === true;
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
  const pause = useAppStore(selectSecurePause(interactionId));
  const recorded = useAppStore((s) => isRecorded(s, interactionId));
  const toggle = useAppStore((s) => s.toggleSecurePause);
  const now = useNow(500);
  if (!pause?.paused || pause.pausedSince === null) return null;
  const elapsed = now - pause.pausedSince;
  const remind = elapsed >= pause.reminderAfterSeconds * 1000;
  return (
    <div className={`banner pause-banner${remind ? ' banner-warning' : ''}`} data-testid="pause-banner" role="status">
      {/* Unrecorded: the pause holds live monitoring only. */}
      <strong>{recorded ? 'Recording paused' : 'Secure pause: listeners hear nothing'}</strong> <span data-testid="pause-elapsed">{formatDuration(elapsed)}</span>
      {remind && (
        <span className="pause-reminder" data-testid="pause-reminder" role="alert">
          {' '}
          Still paused. Resume {recorded ? 'recording ' : ''}once the sensitive part is over.
        </span>
      )}
      <button type="button" className="button-secondary" onClick={() => toggle(interactionId)}>
        Resume
      </button>
    </div>
  );
}
