import { useAppStore } from '../../app/store-context';
import { type AppState } from '../../app/store-types';
import { screenRecordable } from './screen-recording-slice';
import './screen-recording.css';

/** The call or open chat whose screen the org records (the server said so), if any. */
const selectScreenCall = (s: AppState): string | null => {
  for (const entry of Object.values(s.recordings.byInteraction)) {
    if (entry.screen && screenRecordable(s, entry.interactionId, false)) return entry.interactionId;
  }
  return null;
};

/**
 * In the top bar, whatever view is open: while the agent's screen is recorded, a red "Screen
 * recorded" (grey "Screen recording paused" under secure pause); when a call's or chat's screen is to be
 * recorded and this session has no capture yet, the button that grants it.
 */
export function ScreenRecordingIndicator() {
  const callId = useAppStore(selectScreenCall);
  const recordingId = useAppStore((s) => s.screenRecording.recordingInteractionId);
  const capture = useAppStore((s) => s.screenRecording.capture);
  const error = useAppStore((s) => s.screenRecording.error);
  // The recorder holds while any interaction is paused (the screen is one), so the indicator says so.
  const paused = useAppStore((s) => (recordingId ? Object.values(s.securePause.byInteraction).some((e) => e.paused) : false));
  const grant = useAppStore((s) => s.grantScreenCapture);
  if (recordingId) {
    return (
      <span className={`screen-recording-indicator${paused ? ' is-paused' : ''}`} data-testid="screen-recording-indicator" data-paused={paused} role="status">
        <span className="recording-dot" aria-hidden="true" />
        {paused ? 'Screen recording paused' : 'Screen recorded'}
      </span>
    );
  }
  if (!callId) return null;
  return (
    <span className="screen-recording-ask">
      <button type="button" className="button-ghost" data-testid="screen-recording-grant" disabled={capture === 'asking'} onClick={() => void grant()}>
        Allow screen recording
      </button>
      {error && (
        <span className="inline-error" role="alert" data-testid="screen-recording-error">
          {error}
        </span>
      )}
    </span>
  );
}
