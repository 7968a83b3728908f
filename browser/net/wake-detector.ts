/**
 * A computer that slept stops every timer; when it wakes, the next tick comes late by the time it
 * slept. A gap much longer than the tick interval is the one portable sign of sleep (browsers have
 * no "resume" event). Pure: the caller owns the timer and the clock.
 */
export interface WakeDetectorOptions {
  /** How often the caller ticks. */
  intervalMs: number;
  /** A gap longer than this between two ticks means the machine slept (or the tab was frozen). */
  gapMs: number;
}

/** Ticks every 2 s; 10 s without one is sleep, not a busy main thread. */
export const DEFAULT_WAKE_DETECTOR: WakeDetectorOptions = { intervalMs: 2_000, gapMs: 10_000 };

export class WakeDetector {
  private last: number | null = null;

  constructor(private readonly options: WakeDetectorOptions = DEFAULT_WAKE_DETECTOR) {}

  /** Call on every tick; returns how long the machine slept (ms) when this tick is a wake-up, else null. */
  tick(now: number): number | null {
    const last = this.last;
    this.last = now;
    if (last === null) return null;
    const gap = now - last;
    return gap > this.options.gapMs ? gap - this.options.intervalMs : null;
  }
}
