/**
 * Counts failed sign-ins per username and per client address in a sliding window. Past the limit
 * the caller answers 429 with Retry-After, even for the right password, until the window passes.
 * In memory on purpose: it protects one process; a scaled-out deployment puts it in Redis.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();
  /** Attempts being verified right now: counted as failures until they end, so parallel guesses cannot all slip past the check. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may try now. */
  retryAfterMs(username: string, address: string): number {
    return Math.max(this.blockedFor(`u:${username}`, this.maxFailures), this.blockedFor(`a:${address}`, this.maxFailures * 4));
  }

  /** Marks an attempt as being verified; call the returned function when it has been recorded. */
  begin(username: string, address: string): () => void {
    const keys = [`u:${username}`, `a:${address}`];
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const key of keys) {
        const left = (this.inFlight.get(key) ?? 1) - 1;
        if (left > 0) this.inFlight.set(key, left);
        else this.inFlight.delete(key);
      }
    };
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
    const pending = this.inFlight.get(key) ?? 0;
    if (list.length + pending < limit) return 0;
    // Over the limit only because of attempts still being checked: ask to retry shortly.
    if (list.length < limit) return 1000;
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
