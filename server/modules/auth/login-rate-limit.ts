/**
 * Counts failed sign-ins per username and per client address in a sliding window. Past the limit
 * the caller answers 429 with Retry-After, even for the right password, until the window passes.
 * In memory on purpose: it protects one process; a scaled-out deployment puts it in Redis.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(username: string, address: string): number {
    return Math.max(this.blockedFor(`u:${username}`, this.maxFailures), this.blockedFor(`a:${address}`, this.maxFailures * 4));
  }

  recordFailure(username: string, address: string): void {
    for (const key of [`u:${username}`, `a:${address}`]) {
      const list = this.recent(key);
      list.push(this.now());
      this.failures.set(key, list);
    }
    this.prune();
  }

  recordSuccess(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private blockedFor(key: string, limit: number): number {
    const list = this.recent(key);
    if (list.length < limit) return 0;
    const oldestCounted = list[list.length - limit] ?? this.now();
    return Math.max(0, oldestCounted + this.windowMs - this.now());
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }

  /** Keeps memory bounded under a spray of usernames. */
  private prune(): void {
    if (this.failures.size < 10_000) return;
    const cutoff = this.now() - this.windowMs;
    for (const [key, list] of this.failures) if (!list.some((t) => t > cutoff)) this.failures.delete(key);
  }
}
