export interface BackoffOptions {
  /** First retry delay. */
  initialMs: number;
  /** Ceiling for the doubling. */
  maxMs: number;
  /** 0..1: fraction of the delay that is randomised, so a server restart is not hit by every client at once. */
  jitter: number;
}

/** 0.5 s, 1 s, 2 s … capped at 10 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000, jitter: 0.2 };

/** Delay before retry number `attempt` (0-based): initial × 2^attempt, capped, minus up to `jitter` of it. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  const jitter = Math.min(Math.max(options.jitter, 0), 1);
  return Math.round(base * (1 - jitter * random()));
}
