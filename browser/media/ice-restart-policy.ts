import { backoffDelay, type BackoffOptions } from '../net/backoff';

/**
 * When a call's media path breaks, one side (the agent's, so two offers never cross) restarts ICE
 * on the same peer connection instead of starting a new one. This is the decision part, free of
 * WebRTC and timers so it can be tested in Node: feed it ICE states, inbound audio stalls
 * (inbound-stall.ts) and ticks, it says when to restart and whether to tell the user
 * "Reconnecting audio…".
 *
 * Two signals break the path. The inbound audio stalling (1–1.5 s after a cut) restarts at once:
 * its detector has already waited. The ICE state saying 'disconnected' (5–7 s after a cut over
 * TURN/TCP, sooner over UDP) restarts after a grace; 'failed' at once. Audio flowing again, or ICE
 * 'connected', ends the episode. A stall the ICE state does not confirm may be the other side not
 * sending at all (its microphone unplugged): after `stallRestarts` restarts that did not bring the
 * audio back while ICE says connected, the policy stops saying "Reconnecting" and waits for the
 * audio to flow again before a stall counts anew (the ICE state still counts meanwhile).
 */

export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

export interface IceRestartOptions {
  /** 'disconnected' often heals by itself within a second or two (a lost packet burst). */
  graceMs: number;
  /** Wait between restarts that did not bring the path back. */
  backoff: BackoffOptions;
  /** Restarts made for a stall alone (ICE connected) before it is taken for a silent sender. */
  stallRestarts: number;
}

/**
 * A stall restarts at once, 'disconnected' after 2 s of grace; then restarts 2 s, 4 s, 8 s apart, at
 * most 10 s, for as long as the call lasts (a stall alone: 2 restarts).
 */
export const DEFAULT_ICE_RESTART: IceRestartOptions = { graceMs: 2_000, backoff: { initialMs: 2_000, maxMs: 10_000, jitter: 0.1 }, stallRestarts: 2 };

export type IcePolicyAction = { kind: 'none' } | { kind: 'restart'; attempt: number };

export class IceRestartPolicy {
  private brokenSince: number | null = null;
  private nextRestartAt: number | null = null;
  private attempts = 0;
  private stopped = false;
  private iceState: IceState = 'new';
  /** The inbound audio is stalled (inbound-stall.ts). */
  private stalled = false;
  /** This stall was taken for a silent sender: it no longer counts until audio flows again. */
  private stallIgnored = false;

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
    this.iceState = state;
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

  /** The inbound audio stalled (true) or flows again (false); returns a restart to make now, if any. */
  onInbound(stalled: boolean, now: number): IcePolicyAction {
    if (this.stopped) return { kind: 'none' };
    this.stalled = stalled;
    if (!stalled) {
      // Audio arrives: whatever the ICE state says, the path works.
      this.stallIgnored = false;
      this.reset();
      return { kind: 'none' };
    }
    if (this.stallIgnored) return { kind: 'none' };
    if (this.brokenSince === null) {
      this.brokenSince = now;
      this.nextRestartAt = now;
    } else if (this.attempts === 0) {
      // Within the 'disconnected' grace: the stall confirms it, no need to wait longer.
      this.nextRestartAt = now;
    }
    return this.tick(now);
  }

  /** Time passes; returns a restart when one is due. */
  tick(now: number): IcePolicyAction {
    if (this.stopped || this.brokenSince === null || this.nextRestartAt === null || now < this.nextRestartAt) return { kind: 'none' };
    if (this.stalled && this.iceHealthy() && this.attempts >= this.options.stallRestarts) {
      // Restarts did not bring the audio back, yet ICE says the path is up: the other side sends nothing.
      this.stallIgnored = true;
      this.reset();
      return { kind: 'none' };
    }
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

  private iceHealthy(): boolean {
    return this.iceState === 'connected' || this.iceState === 'completed';
  }

  private reset(): void {
    this.brokenSince = null;
    this.nextRestartAt = null;
    this.attempts = 0;
  }
}
