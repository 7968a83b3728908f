import { useEffect, useRef } from 'react';
import type { WidgetController } from '../lib/controller';
import { recordingLineText } from '../lib/notices';
import type { CallStatus, WidgetSnapshot } from '../lib/snapshot';

const CALL_TEXT: Record<CallStatus, string> = {
  idle: '',
  mic: 'Waiting for microphone permission…',
  waiting: 'Your microphone is ready. The call starts when an agent answers.',
  connecting: 'Connecting audio…',
  connected: 'Audio connected.',
  reconnecting: 'Reconnecting audio…',
  failed: 'Audio is not working.',
  ended: 'The call has ended.',
};

export function CallPanel({ snapshot: s, controller }: { snapshot: WidgetSnapshot; controller: WidgetController }) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const { call } = s;
  const over = s.customerState?.state === 'ended' || s.fatal !== null;

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.srcObject !== call.remoteStream) audio.srcObject = call.remoteStream;
    // autoplay can be refused without a recent click; the Call button usually counts as one.
    if (call.remoteStream) audio.play().catch(() => undefined);
  }, [call.remoteStream]);

  return (
    <div className="widget-call" data-testid="widget-call">
      <p className={`widget-call-status call-${call.status}`} data-testid="widget-call-status">
        {CALL_TEXT[call.status]}
        {s.customerState?.state === 'on_hold' && !over ? ' You are on hold; your microphone is off until the agent resumes.' : ''}
        {call.muted && !over && s.customerState?.state !== 'on_hold' ? ' You are muted: the agent cannot hear you.' : ''}
      </p>
      {s.recordingNow && !over && (
        <p className={`widget-recording-notice recording-${s.recordingNow}`} data-testid="widget-recording-notice" data-state={s.recordingNow} role="status" aria-live="polite">
          {recordingLineText(s.recordingNow)}
        </p>
      )}
      {call.error && (
        <p className="widget-inline-error" role="alert" data-testid="widget-call-error">
          {call.error}
        </p>
      )}
      <audio ref={audioRef} autoPlay data-testid="widget-remote-audio" />
      {!over && (
        <div className="widget-buttons">
          <button
            type="button"
            className={call.muted ? 'toggle on' : 'toggle'}
            data-testid="widget-mute"
            aria-pressed={call.muted}
            disabled={call.status === 'mic'}
            onClick={() => controller.toggleMute()}
          >
            {call.muted ? 'Unmute' : 'Mute'}
          </button>
          {call.status === 'failed' && (
            <button type="button" className="secondary" data-testid="widget-call-retry" onClick={() => controller.retryAudio()}>
              Reconnect audio
            </button>
          )}
          <button type="button" className="danger" data-testid="widget-hangup" disabled={s.ending} onClick={() => controller.end()}>
            Hang up
          </button>
        </div>
      )}
    </div>
  );
}
