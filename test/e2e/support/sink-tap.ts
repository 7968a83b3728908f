/**
 * Init scripts for the offer-alert test: what an agent's page sends to each audio output device,
 * and the notifications it shows. Installed with page.addInitScript before the app loads; the app
 * has no hook for either.
 *
 * sinkTap: every AudioNode the page connects to an AudioContext's destination is connected instead
 * to a unity-gain bus that feeds the destination and two AnalyserNodes, so the analysers hear
 * exactly the signal the context renders to its output device, the one `ctx.sinkId` names
 * (set with AudioContext.setSinkId). It measures the audio handed to the device at the graph's
 * output, before the OS's own output buffering (headless Chromium's fake output has none to hear).
 * Two analysers per context: a 5.3 ms window for the level now, and the longest window (0.68 s)
 * to find, after the fact and on the audio clock, the last sample of sound; the page's main thread
 * being busy right after a click then does not count as ringing.
 */
export function sinkTap(): void {
  interface Tap {
    ctx: AudioContext & { sinkId?: string | { type: string } };
    /** Everything the page connects to the destination goes through this unity gain instead. */
    bus: GainNode;
    /** A short window (5.3 ms at 48 kHz): the level now. */
    analyser: AnalyserNode;
    /** The longest window (32768 samples, 0.68 s at 48 kHz): when, on the audio clock, the sound stopped. */
    history: AnalyserNode;
  }
  const taps: Tap[] = [];
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  const disconnect = AudioNode.prototype.disconnect as (this: AudioNode, ...args: unknown[]) => unknown;
  const tapOf = (ctx: BaseAudioContext): Tap | null => {
    if (!(ctx instanceof AudioContext)) return null;
    let tap = taps.find((t) => t.ctx === ctx);
    if (!tap) {
      const bus = ctx.createGain();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 256; // 5.3 ms at 48 kHz: a short window, so silence shows quickly
      const history = ctx.createAnalyser();
      history.fftSize = 32768;
      // The analysers stay connected to the bus for the context's life: one that loses its last
      // input may be reset, which would erase the sound it is there to date.
      connect.call(bus, ctx.destination);
      connect.call(bus, analyser);
      connect.call(bus, history);
      tap = { ctx, bus, analyser, history };
      taps.push(tap);
    }
    return tap;
  };
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const tap = args[0] instanceof AudioDestinationNode ? tapOf(this.context) : null;
    if (tap) return connect.apply(this, [tap.bus, ...args.slice(1)]);
    return connect.apply(this, args);
  } as typeof AudioNode.prototype.connect;
  AudioNode.prototype.disconnect = function (this: AudioNode, ...args: unknown[]) {
    const tap = args[0] instanceof AudioDestinationNode ? tapOf(this.context) : null;
    if (tap) return disconnect.apply(this, [tap.bus, ...args.slice(1)]);
    return disconnect.apply(this, args);
  } as typeof AudioNode.prototype.disconnect;

  const sinkName = (ctx: Tap['ctx']) => (typeof ctx.sinkId === 'string' ? ctx.sinkId : ctx.sinkId ? `(${ctx.sinkId.type})` : '');
  const buffer = new Float32Array(256);
  /** RMS now, per output device id ('' = the default output), summed over the contexts playing to it. */
  (window as unknown as { __sinkLevels: () => Record<string, number> }).__sinkLevels = () => {
    const levels: Record<string, number> = {};
    for (const tap of taps) {
      if (tap.ctx.state === 'closed') continue;
      tap.analyser.getFloatTimeDomainData(buffer);
      let sum = 0;
      for (const x of buffer) sum += x * x;
      const name = sinkName(tap.ctx);
      levels[name] = (levels[name] ?? 0) + Math.sqrt(sum / buffer.length);
    }
    return levels;
  };

  const tapFor = (sinkId: string) => taps.find((t) => t.ctx.state !== 'closed' && sinkName(t.ctx) === sinkId);
  /** The audio clock (AudioContext.currentTime, s) of the context playing to `sinkId`, or null. */
  (window as unknown as { __sinkClock: (id: string) => number | null }).__sinkClock = (sinkId) => tapFor(sinkId)?.ctx.currentTime ?? null;
  /** Every tapped context: its device, state and clock (for a failure's message). */
  (window as unknown as { __sinkContexts: () => Array<{ sink: string; state: string; time: number }> }).__sinkContexts = () =>
    taps.map((t) => ({ sink: sinkName(t.ctx), state: t.ctx.state, time: t.ctx.currentTime }));
  /** What the context says lies between its graph and the device (s): added by the device, not measured here. */
  (window as unknown as { __sinkLatency: (id: string) => { base: number; output: number } | null }).__sinkLatency = (sinkId) => {
    const tap = tapFor(sinkId);
    return tap ? { base: tap.ctx.baseLatency, output: tap.ctx.outputLatency } : null;
  };
  /**
   * When the sound on `sinkId` last stood above `threshold` (absolute sample value), on the audio
   * clock, read from the last 0.68 s the context rendered to it; null when none of it did.
   */
  (window as unknown as { __sinkLastSound: (id: string, threshold: number) => { at: number | null; now: number; windowS: number } | null }).__sinkLastSound = (sinkId, threshold) => {
    const tap = tapFor(sinkId);
    if (!tap) return null;
    const samples = new Float32Array(tap.history.fftSize);
    const now = tap.ctx.currentTime;
    tap.history.getFloatTimeDomainData(samples);
    const rate = tap.ctx.sampleRate;
    let last = -1;
    for (let i = samples.length - 1; i >= 0; i -= 1) {
      if (Math.abs(samples[i]!) > threshold) {
        last = i;
        break;
      }
    }
    return { at: last < 0 ? null : now - (samples.length - 1 - last) / rate, now, windowS: samples.length / rate };
  };
}

/** Recorded notifications: their title, body, and the object itself (to click it). */
export interface SeenNotification {
  title: string;
  body: string;
}

/**
 * notificationSpy: window.Notification is wrapped so each notification the page shows is recorded
 * in `window.__notifications` (the real one is still created; headless Chromium shows nothing).
 * The test "clicks" one by dispatching a click event on it, as the browser does.
 */
export function notificationSpy(): void {
  const Real = window.Notification;
  const seen: Array<{ title: string; body: string; notification: Notification }> = [];
  class Spied extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      seen.push({ title, body: options?.body ?? '', notification: this });
    }
  }
  Object.defineProperty(window, 'Notification', { value: Spied, configurable: true, writable: true });
  (window as unknown as { __notifications: typeof seen }).__notifications = seen;
}
