import { useEffect, useRef } from 'react';
import { effectiveDevice } from './audio-prefs';
import { routeToSink } from './speaker-sink';
import { useAudioPrefs } from './use-audio-prefs';

export interface StreamAudioProps {
  /** The live audio to play (null: nothing). */
  stream: MediaStream | null;
  /** Silenced without stopping (hold). */
  muted?: boolean;
  testId: string;
}

/**
 * Plays a live stream (a customer, a consulted agent, a monitored call, a supervisor's voice) on the
 * speaker chosen in Settings → Audio, the default while it is unplugged: every voice of a call
 * reaches the same headset.
 */
export function StreamAudio({ stream, muted = false, testId }: StreamAudioProps) {
  const ref = useRef<HTMLAudioElement>(null);
  const speaker = useAudioPrefs((s) => effectiveDevice(s, 'speaker'));
  useEffect(() => {
    if (ref.current) void routeToSink(ref.current, speaker);
  }, [speaker]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = stream;
    if (stream) {
      audio.play().catch(() => {
        // Autoplay refused without a user gesture: the accept or listen click normally counts as one.
      });
    }
  }, [stream]);
  useEffect(() => {
    if (ref.current) ref.current.muted = muted;
  }, [muted]);
  return <audio ref={ref} autoPlay data-testid={testId} />;
}
