/**
 * The ringtone for calls and the chime for chats, made with WebAudio (no audio files), played on
 * the output device the agent picked as ringer (AudioContext.setSinkId). The cadence is scheduled
 * on the audio clock, not with timers, so it keeps its rhythm in a background tab; stop() silences
 * it in the same task (gain to 0, oscillators stopped and disconnected).
 */

export interface RingtonePlayer {
  /** Picks the output device ('' = the system default); applies to what is playing too. */
  setSink(deviceId: string): Promise<void>;
  startRing(): void;
  stopRing(): void;
  chime(): void;
  /** A short ring to test the device (stops by itself). */
  preview(): void;
  /** Creates and resumes the audio context; call from a click so the browser lets it play. */
  unlock(): Promise<void>;
}

/** Two tones together, like a phone's ring: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off. */
const RING_HZ = [440, 480];
const CADENCE: ReadonlyArray<[on: number, off: number]> = [
  [0.4, 0.2],
  [0.4, 2.0],
];
const CYCLE_S = CADENCE.reduce((sum, [on, off]) => sum + on + off, 0);
/** Scheduled ahead; longer than any offer stays up (an offer times out well before). */
const RING_CYCLES = 100;
const RING_LEVEL = 0.25;
const RAMP_S = 0.01;

type SinkableContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

interface Voice {
  oscillators: OscillatorNode[];
  gain: GainNode;
}

export function createRingtonePlayer(createContext: () => AudioContext = () => new AudioContext()): RingtonePlayer {
  let ctx: SinkableContext | null = null;
  let sinkId = '';
  let ring: Voice | null = null;

  const resume = (c: AudioContext) => {
    if (c.state !== 'running' && c.state !== 'closed') void c.resume().catch(() => undefined);
  };

  const context = (): SinkableContext => {
    if (!ctx) {
      const created = createContext() as SinkableContext;
      ctx = created;
      // Resumed again once the device is set: switching devices may leave a starting context suspended.
      if (sinkId) void applySink(created, sinkId).then(() => resume(created));
    }
    resume(ctx);
    return ctx;
  };

  async function applySink(c: SinkableContext, id: string): Promise<void> {
    if (!c.setSinkId) return;
    try {
      await c.setSinkId(id);
    } catch {
      // The device is gone or refused: the default output rings instead (never silence).
      await c.setSinkId('').catch(() => undefined);
    }
  }

  const voice = (c: AudioContext, frequencies: readonly number[]): Voice => {
    const gain = c.createGain();
    gain.gain.value = 0;
    gain.connect(c.destination);
    const oscillators = frequencies.map((hz) => {
      const osc = c.createOscillator();
      osc.frequency.value = hz;
      osc.connect(gain);
      return osc;
    });
    return { oscillators, gain };
  };

  const silence = (v: Voice, c: AudioContext) => {
    v.gain.gain.cancelScheduledValues(0);
    v.gain.gain.setValueAtTime(0, c.currentTime);
    for (const osc of v.oscillators) {
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
      osc.disconnect();
    }
    v.gain.disconnect();
  };

  /** Schedules `cycles` of the ring cadence from now; returns the voice. */
  const playRing = (cycles: number): Voice => {
    const c = context();
    const v = voice(c, RING_HZ);
    const g = v.gain.gain;
    let t = c.currentTime + 0.02;
    for (let i = 0; i < cycles; i += 1) {
      for (const [on, off] of CADENCE) {
        g.setValueAtTime(0, t);
        g.linearRampToValueAtTime(RING_LEVEL, t + RAMP_S);
        g.setValueAtTime(RING_LEVEL, t + on - RAMP_S);
        g.linearRampToValueAtTime(0, t + on);
        t += on + off;
      }
    }
    for (const osc of v.oscillators) {
      osc.start();
      osc.stop(t);
    }
    return v;
  };

  return {
    async setSink(deviceId) {
      sinkId = deviceId;
      if (ctx) await applySink(ctx, deviceId);
    },

    startRing() {
      if (ring) return;
      ring = playRing(RING_CYCLES);
    },

    stopRing() {
      if (!ring || !ctx) return;
      silence(ring, ctx);
      ring = null;
    },

    chime() {
      const c = context();
      const v = voice(c, []);
      const g = v.gain.gain;
      const t = c.currentTime + 0.02;
      // Two short notes, up a fifth.
      [880, 1320].forEach((hz, i) => {
        const osc = c.createOscillator();
        osc.frequency.value = hz;
        osc.connect(v.gain);
        const at = t + i * 0.18;
        osc.start(at);
        osc.stop(at + 0.16);
        osc.onended = () => osc.disconnect();
      });
      g.setValueAtTime(0, t);
      g.linearRampToValueAtTime(RING_LEVEL * 0.6, t + RAMP_S);
      g.setValueAtTime(RING_LEVEL * 0.6, t + 0.34);
      g.linearRampToValueAtTime(0, t + 0.36);
      setTimeout(() => v.gain.disconnect(), 1000);
    },

    preview() {
      if (ring) return;
      const v = playRing(1);
      const c = context();
      setTimeout(() => {
        silence(v, c);
      }, CYCLE_S * 1000);
    },

    async unlock() {
      const c = context();
      if (c.state !== 'running') await c.resume().catch(() => undefined);
    },
  };
}
