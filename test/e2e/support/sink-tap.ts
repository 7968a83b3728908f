/**
 * Init scripts for the offer-alert test: what an agent's page sends to each audio output device,
 * and the notifications it shows. Installed with page.addInitScript before the app loads; the app
 * has no hook for either.
 *
 * sinkTap: every AudioNode connected to an AudioContext's destination is also connected to an
 * AnalyserNode of that context (and disconnected from it with the destination), so the analyser
 * hears exactly the signal the context renders to its output device, the one `ctx.sinkId` names
 * (set with AudioContext.setSinkId). It measures the audio handed to the device at the graph's
 * output, before the OS's own output buffering (headless Chromium's fake output has none to hear).
 */
export function sinkTap(): void {
  interface Tap {
    ctx: AudioContext & { sinkId?: string | { type: string } };
    analyser: AnalyserNode;
  }
  const taps: Tap[] = [];
  const tapOf = (ctx: BaseAudioContext): Tap | null => {
    if (!(ctx instanceof AudioContext)) return null;
    let tap = taps.find((t) => t.ctx === ctx);
    if (!tap) {
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 256; // 5.3 ms at 48 kHz: a short window, so silence shows quickly
      tap = { ctx, analyser };
      taps.push(tap);
    }
    return tap;
  };
  const connect = AudioNode.prototype.connect;
  const disconnect = AudioNode.prototype.disconnect;
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const result = (connect as (...a: unknown[]) => unknown).apply(this, args);
    if (args[0] instanceof AudioDestinationNode) {
      const tap = tapOf(this.context);
      if (tap) (connect as (this: AudioNode, n: AudioNode) => unknown).call(this, tap.analyser);
    }
    return result;
  } as typeof AudioNode.prototype.connect;
  AudioNode.prototype.disconnect = function (this: AudioNode, ...args: unknown[]) {
    const result = (disconnect as (...a: unknown[]) => unknown).apply(this, args);
    if (args[0] instanceof AudioDestinationNode) {
      const tap = tapOf(this.context);
      try {
        if (tap) (disconnect as (this: AudioNode, n: AudioNode) => unknown).call(this, tap.analyser);
      } catch {
        // Was not connected to the tap.
      }
    }
    return result;
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
