import { useEffect, useRef } from 'react';
import { useAppStore } from '../../app/store-context';
import { effectiveDevice } from '../devices/audio-prefs';
import { routeToSink } from '../devices/speaker-sink';
import { useAudioPrefs } from '../devices/use-audio-prefs';
import './monitoring.css';
import { selectMonitorNotice } from './monitoring-slice';
import { noticeText } from './monitoring-logic';

/** Plays a whispering or barging supervisor's voice to the agent, on the speaker chosen for calls. */
function VoiceAudio({ stream }: { stream: MediaStream | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  const speaker = useAudioPrefs((s) => effectiveDevice(s, 'speaker'));
  useEffect(() => {
    if (ref.current) void routeToSink(ref.current, speaker);
  }, [speaker]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = stream;
    if (stream) audio.play().catch(() => undefined);
  }, [stream]);
  return <audio ref={ref} autoPlay data-testid="monitor-voice-audio" />;
}

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
      {notice?.voice && <VoiceAudio stream={notice.voiceStream} />}
    </p>
  );
}
