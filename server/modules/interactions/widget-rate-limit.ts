/**
 * Starts (chats, calls, left messages) per client address in a sliding window: the widget needs no
 * account, so this is what keeps one address from flooding the queues. In memory, per process.
 */
export class WidgetRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a start for the address; returns 0 when allowed, else the milliseconds until it would be. */
  take(address: string): number {
    const now = this.now();
    const recent = (this.hits.get(address) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.hits.set(address, recent);
      return Math.max(1, recent[recent.length - this.max]! + this.windowMs - now);
    }
    recent.push(now);
    this.hits.set(address, recent);
    if (this.hits.size > 10_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [key, list] of this.hits) if (!list.some((t) => t > now - this.windowMs)) this.hits.delete(key);
  }
}
