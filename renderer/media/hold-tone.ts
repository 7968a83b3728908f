/**
 * What the customer hears while on hold: a soft two-note chime made with WebAudio (G4 then C5,
 * 392 and 523 Hz, never silent so the customer knows the line is alive). Sent in place of the
 * agent's microphone on the call's sender, so the agent's voice (and a consult) never reaches the
 * customer while the call is held; the microphone track itself stays disabled and is what the
 * recording taps, so the recording holds silence, not the tone (docs/recordings.md).
 */
export interface HoldTone {
  readonly track: MediaStreamTrack;
  stop(): void;
}

export const HOLD_TONE_HZ = [392, 523] as const;
/** Seconds per note. */
const NOTE_S = 0.8;

export function createHoldTone(): HoldTone {
  const ctx = new AudioContext();
  void ctx.resume().catch(() => undefined);
  const gain = ctx.createGain();
  gain.gain.value = 0.12;
  const dest = ctx.createMediaStreamDestination();
  const osc = ctx.createOscillator();
  osc.type = 'sine';
  // Alternating notes, scheduled well ahead (a minute at a time; re-scheduled while it plays).
  let scheduledUntil = ctx.currentTime;
  const schedule = () => {
    const end = ctx.currentTime + 60;
    let t = scheduledUntil;
    let i = Math.round(t / NOTE_S);
    while (t < end) {
      osc.frequency.setValueAtTime(HOLD_TONE_HZ[i % 2]!, t);
      t += NOTE_S;
      i += 1;
    }
    scheduledUntil = t;
  };
  schedule();
  const timer = setInterval(schedule, 30_000);
  osc.connect(gain).connect(dest);
  osc.start();
  const track = dest.stream.getAudioTracks()[0]!;
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
      void ctx.close().catch(() => undefined);
    },
  };
}
