import type { LimitStore, RateDecision, RateLimit } from './store';

export interface AbuseLimitSettings {
  wsMessagesPerSecond: number;
  wsMessageBurst: number;
  wsPrincipalMessagesPerSecond: number;
  wsPrincipalMessageBurst: number;
  wsSocketsPerAddress: number;
}

/** How long a principal closed for flooding may not say hello again. */
export const FLOOD_COOLDOWN_MS = 10_000;

/** Which bucket refused a WebSocket frame. */
export type FrameScope = 'connection' | 'principal';

/**
 * The server's abuse limits in one place, over a LimitStore (memory on one node, Redis when the
 * backend runs on several: penalties are then shared, frame buckets stay per node): WebSocket frames per connection and per principal (token
 * buckets) and open sockets per client address. Sign-ins (auth/login-rate-limit.ts) and anonymous
 * widget requests (interactions/widget-rate-limit.ts) keep their counts in the same store.
 */
export class AbuseLimits {
  private readonly perConnection: RateLimit;
  private readonly perPrincipal: RateLimit;

  constructor(
    readonly store: LimitStore,
    private readonly settings: AbuseLimitSettings,
  ) {
    this.perConnection = { burst: settings.wsMessageBurst, perSecond: settings.wsMessagesPerSecond };
    this.perPrincipal = { burst: settings.wsPrincipalMessageBurst, perSecond: settings.wsPrincipalMessagesPerSecond };
  }

  /** One frame from a connection (and its principal once it said hello). */
  frame(connectionKey: string, principalId: string | null): RateDecision & { scope: FrameScope | null } {
    const own = this.store.take(`ws:conn:${connectionKey}`, this.perConnection);
    if (!own.allowed) return { ...own, scope: 'connection' };
    if (principalId === null) return { ...own, scope: null };
    const shared = this.store.take(`ws:principal:${principalId}`, this.perPrincipal);
    return { ...shared, scope: shared.allowed ? null : 'principal' };
  }

  /**
   * A hello on a new connection: refused while its credential (a digest of the token, checked before
   * the token is looked up) or its principal sits out a penalty for flooding, or while the
   * principal's bucket is empty, before any module does work for it.
   */
  async hello(credentialKey: string, principalId?: string): Promise<RateDecision> {
    for (const key of [`ws:penalty:c:${credentialKey}`, ...(principalId ? [`ws:penalty:p:${principalId}`] : [])]) {
      const penalty = await this.store.count(key, FLOOD_COOLDOWN_MS);
      const last = penalty.times[penalty.times.length - 1];
      if (last !== undefined) return { allowed: false, retryAfterMs: Math.max(1, last + FLOOD_COOLDOWN_MS - penalty.now) };
    }
    if (!principalId) return { allowed: true, retryAfterMs: 0 };
    return this.store.take(`ws:principal:${principalId}`, this.perPrincipal);
  }

  /** A connection was closed for flooding: hellos with its credential or from its principal are refused for FLOOD_COOLDOWN_MS. */
  async penalize(credentialKey: string, principalId: string): Promise<void> {
    await Promise.all([this.store.record(`ws:penalty:c:${credentialKey}`, FLOOD_COOLDOWN_MS), this.store.record(`ws:penalty:p:${principalId}`, FLOOD_COOLDOWN_MS)]);
  }

  /** A slot for one open WebSocket from this address; null when it already has the maximum open. */
  socket(address: string): (() => void) | null {
    return this.store.acquire(`ws:addr:${address}`, this.settings.wsSocketsPerAddress);
  }

  get socketsPerAddress(): number {
    return this.settings.wsSocketsPerAddress;
  }

}
