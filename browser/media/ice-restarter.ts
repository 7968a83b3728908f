import { IceRestartPolicy, type IceRestartOptions, type IceState } from './ice-restart-policy';

/**
 * Drives ice-restart-policy.ts for one peer connection: feeds it the peer's ICE states and inbound
 * audio stalls, keeps its timer, and calls `restartIce()` when it says so. Used by the side of a
 * connection that decides restarts (the one that made the first offer), so offers never cross.
 */
export interface IceRestarterOptions {
  /** Makes the restart offer on the same connection (simple-peer.ts restartIce). */
  restartIce(): Promise<boolean>;
  /** "Reconnecting audio…" starts (true) or ends (false). */
  onReconnecting?(reconnecting: boolean): void;
  now?(): number;
  policy?: IceRestartOptions;
  logger?: Pick<Console, 'warn'>;
}

export class IceRestarter {
  private readonly policy: IceRestartPolicy;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: IceRestarterOptions) {
    this.policy = new IceRestartPolicy(options.policy);
  }

  get reconnecting(): boolean {
    return this.policy.reconnecting;
  }

  onIceState(state: RTCIceConnectionState): void {
    this.step((now) => this.policy.onState(state as IceState, now));
  }

  onInboundStall(stalled: boolean): void {
    this.step((now) => this.policy.onInbound(stalled, now));
  }

  /** The connection is gone or the call ended: no more restarts, no timer. */
  stop(): void {
    if (this.stopped) return;
    const was = this.policy.reconnecting;
    this.stopped = true;
    this.policy.stop();
    this.clearTimer();
    if (was) this.options.onReconnecting?.(false);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private step(decide: (now: number) => { kind: 'none' } | { kind: 'restart'; attempt: number }): void {
    if (this.stopped) return;
    const was = this.policy.reconnecting;
    const action = decide(this.now());
    if (this.policy.reconnecting !== was) this.options.onReconnecting?.(this.policy.reconnecting);
    if (action.kind === 'restart') {
      this.options.restartIce().catch((err: unknown) => (this.options.logger ?? console).warn('[veildesk] ICE restart could not start', err));
    }
    this.clearTimer();
    const at = this.policy.nextTickAt;
    if (at !== null && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.step((now) => this.policy.tick(now));
      }, Math.max(0, at - this.now()));
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
