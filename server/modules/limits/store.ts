/**
 * The abuse limiter's storage, behind one small interface so a multi-node deployment backs it with
 * Redis (cluster/redis-limit-store.ts) without touching its callers. Two kinds of state:
 * - token buckets and slots (take, acquire) are synchronous and stay on the node: the WebSocket
 *   gateway decides before it dispatches a frame, in arrival order, and a handler must start before
 *   any await (ws-handlers.ts); a connection and its socket slot live on one node anyway;
 * - event windows (record, count, reset, hit: failed sign-ins, widget starts) are asynchronous, so
 *   a shared store keeps one count for all nodes and decides atomically.
 */

/** A token bucket: up to `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: milliseconds until the same cost would be allowed. 0 when allowed. */
  retryAfterMs: number;
}

/** Events in a sliding window (failed sign-ins): how many, and when the oldest and newest happened. */
export interface WindowCount {
  count: number;
  /** Times (ms) of the events still in the window, oldest first. */
  times: readonly number[];
  /** The store's clock when it counted (times are on that clock). */
  now: number;
}

export interface LimitStore {
  /** Takes `cost` tokens from the bucket named `key`; refused (nothing taken) when too few are left. */
  take(key: string, limit: RateLimit, cost?: number): RateDecision;
  /** Holds one of at most `max` slots named `key` (sockets per address); null when all are held. Call the release once. */
  acquire(key: string, max: number): (() => void) | null;
  /** Records an event under `key` (kept for `windowMs`). */
  record(key: string, windowMs: number): Promise<void>;
  /** The events under `key` in the last `windowMs`. */
  count(key: string, windowMs: number): Promise<WindowCount>;
  /** Forgets the events under `key` (a successful sign-in clears its failures). */
  reset(key: string): Promise<void>;
  /**
   * Records an event under `key` only if fewer than `max` are in the window, in one step (no other
   * node counts in between); refused: milliseconds until the oldest counted one leaves the window.
   */
  hit(key: string, windowMs: number, max: number): Promise<RateDecision>;
}
