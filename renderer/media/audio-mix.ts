/**
 * Mixes a call's two sides (the agent's microphone and the customer's stream) into one audio track
 * with WebAudio. The recorder records this mix and live monitoring sends it, each from its own
 * mixer, so pausing one never touches the other.
 *
 * Secure pause closes the mix's gate: a gain between the inputs and the output, set to zero at the
 * context's current audio time, so from the next render quantum (128 samples, under 3 ms) the mix
 * carries silence, whatever the recorder or the sender downstream still takes in while their own
 * pause takes effect. The same gate serves the recorder and the monitoring publisher (and any later
 * capture of the call), each on its own mixer.
 */
export interface MixGate {
  /** Closes now: nothing of the inputs reaches the output from the next audio quantum. */
  close(): void;
  /**
   * Opens `guardMs` of audio time from now. The guard keeps out what was captured while closed and
   * is still on its way into the mix (the input streams' own buffering); a close meanwhile cancels it.
   */
  open(guardMs?: number): void;
}

export interface Mixer {
  /** The mix: one audio track. */
  stream: MediaStream;
  /** Secure pause's gate at the source of the mix (open at first). */
  gate: MixGate;
  /** Swaps the inputs (same output track), e.g. after the call's media was re-established. */
  setStreams?(streams: MediaStream[]): void;
  close(): void;
}

/**
 * How long an opening gate waits (audio time) by default: see MixGate.open. Fresh sources (below)
 * can still get what a stream hands on in its first delivery after the resume (Chromium passes
 * audio on in 10 ms buffers), rendered just before the resume; 20 ms, one Opus frame, covers that
 * and the mix's own render burst, and the agent loses no more than that of speech after a resume.
 * Measured with the E2E secure-pause-latency (20 pauses, one core burnt): sources kept through the
 * pause behind a gate opened with no guard let 16-80 ms (median 48) of the paused part in at the
 * resume; fresh sources with no guard 0 ms in 20 of 20 (one 16 ms window in 1 of 20 in another series).
 */
export const GATE_OPEN_GUARD_MS = 20;

/**
 * A source that joins or leaves an open mix (barge starts or ends, hold, new call media) fades in
 * or out over this long instead of stepping: a step splatters across the whole band for a moment,
 * a click in the recording (seen 20 dB under the tones, at frequencies no one played).
 */
export const SOURCE_FADE_MS = 15;

export type MixFactory = (streams: MediaStream[]) => Mixer;

interface Input {
  stream: MediaStream;
  source: MediaStreamAudioSourceNode;
  fade: GainNode;
}

/**
 * The browser's WebAudio mixer: each input with audio becomes a source with its own fade, feeding
 * the gate, the gate one destination. While the gate is closed the sources are released too: a
 * source buffers what its stream delivers until the mix pulls it, so one kept through the pause
 * would hand audio of the paused part on at the resume. Fresh sources at the open carry only what
 * the streams deliver from then on. While open, a change of inputs keeps the sources that stay and
 * fades the others in or out.
 */
export const browserMix: MixFactory = (streams) => {
  const ctx = new AudioContext();
  void ctx.resume().catch(() => undefined);
  const destination = ctx.createMediaStreamDestination();
  const gain = ctx.createGain();
  gain.connect(destination);
  const fadeSeconds = SOURCE_FADE_MS / 1000;
  let wanted = streams;
  let inputs: Input[] = [];
  /** The audio time from which the gate lets everything through; Infinity while closed. */
  let fullyOpenAt = 0;
  const isOpen = () => fullyOpenAt !== Number.POSITIVE_INFINITY;

  const withAudio = (list: MediaStream[]) => list.filter((s) => s.getAudioTracks().length > 0);
  const drop = (input: Input) => {
    input.source.disconnect();
    input.fade.disconnect();
  };
  /** Drops every source at once (the gate is shut, or the mix closes). */
  const release = () => {
    for (const input of inputs) drop(input);
    inputs = [];
  };
  const add = (stream: MediaStream, fadeIn: boolean): Input => {
    const source = ctx.createMediaStreamSource(stream);
    const fade = ctx.createGain();
    if (fadeIn) {
      fade.gain.setValueAtTime(0, ctx.currentTime);
      fade.gain.linearRampToValueAtTime(1, ctx.currentTime + fadeSeconds);
    }
    source.connect(fade);
    fade.connect(gain);
    return { stream, source, fade };
  };
  /** Every wanted stream gets a fresh source, heard from the gate's opening on. */
  const attachFresh = () => {
    release();
    inputs = withAudio(wanted).map((s) => add(s, false));
  };
  /** The gate is open: keep the sources that stay, fade the new ones in and the old ones out. */
  const change = () => {
    const next = withAudio(wanted);
    const leaving = inputs.filter((i) => !next.includes(i.stream));
    for (const input of leaving) {
      input.fade.gain.cancelScheduledValues(ctx.currentTime);
      input.fade.gain.setValueAtTime(input.fade.gain.value, ctx.currentTime);
      input.fade.gain.linearRampToValueAtTime(0, ctx.currentTime + fadeSeconds);
      // Disconnected once silent; a gate closing meanwhile drops it at once (release).
      setTimeout(() => drop(input), SOURCE_FADE_MS * 2);
    }
    const kept = inputs.filter((i) => next.includes(i.stream));
    inputs = next.map((s) => kept.find((i) => i.stream === s) ?? add(s, true));
  };
  attachFresh();
  return {
    stream: destination.stream,
    gate: {
      close() {
        fullyOpenAt = Number.POSITIVE_INFINITY;
        // Drops what was scheduled (a pending open) and holds silence from now on.
        gain.gain.cancelScheduledValues(ctx.currentTime);
        gain.gain.setValueAtTime(0, ctx.currentTime);
        release();
      },
      open(guardMs = GATE_OPEN_GUARD_MS) {
        // Open already, or opening: the earlier open's guard stands.
        if (isOpen()) return;
        attachFresh();
        // Silent until the guard is over, then up in one fade: nothing of the closed part, and no click.
        const at = ctx.currentTime + guardMs / 1000;
        fullyOpenAt = at + fadeSeconds;
        gain.gain.cancelScheduledValues(ctx.currentTime);
        gain.gain.setValueAtTime(0, ctx.currentTime);
        gain.gain.setValueAtTime(0, at);
        gain.gain.linearRampToValueAtTime(1, fullyOpenAt);
      },
    },
    setStreams(list) {
      wanted = list;
      if (isOpen()) change();
    },
    close() {
      release();
      void ctx.close().catch(() => undefined);
    },
  };
};
