import { MemoryLimitStore } from '../limits/memory-store';
import type { LimitStore } from '../limits/store';

/**
 * Anonymous widget requests (starts of chats, calls and left messages; consent and notice calls)
 * per client address in a sliding window: the widget needs no account, so this is what keeps one
 * address from flooding the queues. Kept in a LimitStore (server/modules/limits): this process's
 * memory unless the server passes a shared one.
 */
export class WidgetRateLimiter {
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly store: LimitStore = new MemoryLimitStore(),
    /** Separates this limiter's counts from others' in a shared store. */
    private readonly name = 'widget',
  ) {}

  /** Counts a request for the address; returns 0 when allowed, else the milliseconds until it would be. */
  async take(address: string): Promise<number> {
    // One step in the store: two nodes cannot both let the last allowed request through.
    const decision = await this.store.hit(`${this.name}:${address}`, this.windowMs, this.max);
    return decision.allowed ? 0 : decision.retryAfterMs;
  }

}
