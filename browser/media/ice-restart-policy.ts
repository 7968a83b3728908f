import { backoffDelay, type BackoffOptions } from '../net/backoff';

/**
 * When a call's media path breaks, one side (the agent's, so two offers never cross) restarts ICE
 * on the same peer connection instead of starting a new one. This is the decision part, free of
 * WebRTC and timers so it can be tested in Node: feed it ICE states and ticks, it says when to
 * restart and whether to tell the user "Reconnecting audio…".
 */

export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export interface IceRestartOptions {
  /** 'disconnected' often heals by itself within a second or two (a lost packet burst). */
  graceMs: number;
  /** Wait between restarts that did not bring the path back. */
  backoff: BackoffOptions;
}

/** 2 s grace, then restarts 2 s, 4 s, 8 s apart, at most 10 s, for as long as the call lasts. */
export const DEFAULT_ICE_RESTART: IceRestartOptions = { graceMs: 2_000, backoff: { initialMs: 2_000, maxMs: 10_000, jitter: 0.1 } };

export type IcePolicyAction = { kind: 'none' } | { kind: 'restart'; attempt: number };

export class IceRestartPolicy {
  private brokenSince: number | null = null;
  private nextRestartAt: number | null = null;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly options: IceRestartOptions = DEFAULT_ICE_RESTART,
    private readonly random: () => number = Math.random,
  ) {}

  /** True while the path is broken: the UI says "Reconnecting audio…". */
  get reconnecting(): boolean {
    return this.brokenSince !== null;
  }

  /** Restarts made since the path broke. */
  get attempt(): number {
    return this.attempts;
  }

  /** When the caller should tick next (ms since epoch), or null when nothing is pending. */
  get nextTickAt(): number | null {
    return this.stopped ? null : this.nextRestartAt;
  }

  /** A new ICE connection state; returns a restart to make now, if any. */
  onState(state: IceState, now: number): IcePolicyAction {
    if (this.stopped) return { kind: 'none' };
    if (state === 'connected' || state === 'completed') {
      this.reset();
      return { kind: 'none' };
    }
    if (state === 'closed') {
      this.stop();
      return { kind: 'none' };
    }
    if (state === 'disconnected') {
      if (this.brokenSince === null) {
        this.brokenSince = now;
        this.nextRestartAt = now + this.options.graceMs;
      }
      return this.tick(now);
    }
    if (state === 'failed') {
      // No grace: the browser has given up on every candidate pair.
      if (this.brokenSince === null) this.brokenSince = now;
      if (this.attempts === 0) this.nextRestartAt = now;
      return this.tick(now);
    }
    // new / checking: a restart in progress; keep the schedule.
    return { kind: 'none' };
  }

  /** Time passes; returns a restart when one is due. */
  tick(now: number): IcePolicyAction {
    if (this.stopped || this.brokenSince === null || this.nextRestartAt === null || now < this.nextRestartAt) return { kind: 'none' };
    const attempt = ++this.attempts;
    this.nextRestartAt = now + backoffDelay(attempt - 1, this.options.backoff, this.random);
    return { kind: 'restart', attempt };
  }

  /** The call ended: no more restarts. */
  stop(): void {
    this.stopped = true;
    this.brokenSince = null;
    this.nextRestartAt = null;
  }

  private reset(): void {
    this.brokenSince = null;
    this.nextRestartAt = null;
    this.attempts = 0;
  }
}
