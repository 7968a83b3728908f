import type { LimitStore } from '../limits/store';

export interface LoginLimitSettings {
  /** Failed sign-ins per (username, address) in the window before that pair is refused. */
  maxFailures: number;
  windowMs: number;
  /** The username's delay once it has failed maxFailures times (from anywhere); doubles with each further failure. */
  delayMs: number;
}

/** Which limit refused a sign-in (for the audit log). */
export type LoginLimitReason = 'pair' | 'address' | 'username_delay';

/**
 * Who may try a password now. Three limits, so that an attacker guessing one account's password
 * cannot lock its owner out:
 * - per (username, address): a hard limit of maxFailures failures in the window;
 * - per address, over all usernames: 4 × maxFailures (a spray of usernames from one place);
 * - per username: once it has failed maxFailures times from anywhere, each further attempt from an
 *   address that has itself failed for it waits a delay that doubles with every failure (capped at
 *   the window). An address that has not failed for that username is never delayed, so its owner's
 *   right password from their own machine works at once, whatever happens elsewhere.
 * Attempts still being checked count as failures until they end, so parallel guesses cannot all
 * slip past a check (on this node; failures themselves are counted in the LimitStore, shared by
 * every node when Redis is configured).
 */
export class LoginRateLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly store: LimitStore,
    private readonly settings: LoginLimitSettings,
  ) {}

  /**
   * Milliseconds until this username may be tried from this address (0: now), and which limit says so.
   * `own`: the caller has already begun this attempt (begin() before the counts are read, so that
   * parallel attempts on any node see each other), so it does not count against itself.
   */
  async check(username: string, address: string, opts: { own?: boolean } = {}): Promise<{ retryAfterMs: number; reason: LoginLimitReason | null }> {
    const { maxFailures } = this.settings;
    const self = opts.own ? 1 : 0;
    const [pair, byAddress, delay] = await Promise.all([
      this.blockedFor(pairKey(username, address), maxFailures, self),
      this.blockedFor(addressKey(address), maxFailures * 4, self),
      this.usernameDelay(username, address),
    ]);
    const longest = Math.max(pair, byAddress, delay);
    if (longest === 0) return { retryAfterMs: 0, reason: null };
    return { retryAfterMs: longest, reason: longest === pair ? 'pair' : longest === byAddress ? 'address' : 'username_delay' };
  }

  async retryAfterMs(username: string, address: string): Promise<number> {
    return (await this.check(username, address)).retryAfterMs;
  }

  /** Marks an attempt as being verified; call the returned function when it has been recorded. */
  begin(username: string, address: string): () => void {
    const keys = [pairKey(username, address), addressKey(address)];
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

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all([pairKey(username, address), addressKey(address), usernameKey(username)].map((key) => this.store.record(key, this.settings.windowMs)));
  }

  /** The right password: this address's and the username's failures are forgotten (not the address's over other usernames). */
  async recordSuccess(username: string, address: string): Promise<void> {
    await Promise.all([this.store.reset(pairKey(username, address)), this.store.reset(usernameKey(username))]);
  }

  private async blockedFor(key: string, limit: number, self: number): Promise<number> {
    // Read before the await: attempts begun on this node while the count travels still count.
    const pendingBefore = (this.inFlight.get(key) ?? 0) - self;
    const { times, now } = await this.store.count(key, this.settings.windowMs);
    const pending = Math.max(pendingBefore, (this.inFlight.get(key) ?? 0) - self);
    if (times.length + pending < limit) return 0;
    // Over the limit only because of attempts still being checked: ask to retry shortly.
    if (times.length < limit) return 1000;
    const oldestCounted = times[times.length - limit] ?? now;
    return Math.max(0, oldestCounted + this.settings.windowMs - now);
  }

  private async usernameDelay(username: string, address: string): Promise<number> {
    const { maxFailures, windowMs, delayMs } = this.settings;
    const { times: failures, now } = await this.store.count(usernameKey(username), windowMs);
    if (failures.length < maxFailures || delayMs === 0) return 0;
    // Only addresses that have failed for this username wait; a clean one goes straight to the check.
    if ((await this.store.count(pairKey(username, address), windowMs)).count === 0) return 0;
    const steps = Math.min(30, failures.length - maxFailures);
    const delay = Math.min(windowMs, delayMs * 2 ** steps);
    const last = failures[failures.length - 1] ?? now;
    return Math.max(0, last + delay - now);
  }
}

const pairKey = (username: string, address: string) => `login:pair:${address}\u0000${username}`;
const addressKey = (address: string) => `login:addr:${address}`;
const usernameKey = (username: string) => `login:user:${username}`;
