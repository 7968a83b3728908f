import type { LimitStore, RateDecision, RateLimit, WindowCount } from './store';

/** Past this many keys, idle ones are dropped, so a spray of addresses or usernames cannot grow memory without bound. */
const PRUNE_AT = 10_000;

interface Bucket {
  tokens: number;
  at: number;
  /** When the bucket is full again; after that it is the same as no bucket. */
  fullAt: number;
}

/** The limiter's state in this process's memory: one node's view (see store.ts for a shared one). */
export class MemoryLimitStore implements LimitStore {
  private readonly buckets = new Map<string, Bucket>();
  private readonly slots = new Map<string, number>();
  private readonly events = new Map<string, { windowMs: number; times: number[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, limit: RateLimit, cost = 1): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond) : limit.burst;
    if (tokens < cost) {
      // Nothing taken: a refused frame does not push the client's next allowed one further out.
      return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(((cost - tokens) / limit.perSecond) * 1000)) };
    }
    const left = tokens - cost;
    this.buckets.set(key, { tokens: left, at: now, fullAt: now + ((limit.burst - left) / limit.perSecond) * 1000 });
    if (this.buckets.size > PRUNE_AT) this.pruneBuckets(now);
    return { allowed: true, retryAfterMs: 0 };
  }

  acquire(key: string, max: number): (() => void) | null {
    const held = this.slots.get(key) ?? 0;
    if (held >= max) return null;
    this.slots.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.slots.get(key) ?? 1) - 1;
      if (left > 0) this.slots.set(key, left);
      else this.slots.delete(key);
    };
  }

  record(key: string, windowMs: number): Promise<void> {
    this.recordNow(key, windowMs);
    return Promise.resolve();
  }

  count(key: string, windowMs: number): Promise<WindowCount> {
    return Promise.resolve(this.countNow(key, windowMs));
  }

  reset(key: string): Promise<void> {
    this.events.delete(key);
    return Promise.resolve();
  }

  hit(key: string, windowMs: number, max: number): Promise<RateDecision> {
    const { times, now } = this.countNow(key, windowMs);
    if (times.length >= max) return Promise.resolve({ allowed: false, retryAfterMs: Math.max(1, (times[times.length - max] ?? now) + windowMs - now) });
    this.recordNow(key, windowMs);
    return Promise.resolve({ allowed: true, retryAfterMs: 0 });
  }

  /** The synchronous forms: within one process nothing can come between a count and its record. */
  recordNow(key: string, windowMs: number): void {
    const now = this.now();
    const entry = this.events.get(key) ?? { windowMs, times: [] };
    entry.windowMs = Math.max(entry.windowMs, windowMs);
    entry.times = entry.times.filter((t) => t > now - entry.windowMs);
    entry.times.push(now);
    this.events.set(key, entry);
    if (this.events.size > PRUNE_AT) this.pruneEvents(now);
  }

  countNow(key: string, windowMs: number): WindowCount {
    const now = this.now();
    const times = (this.events.get(key)?.times ?? []).filter((t) => t > now - windowMs);
    return { count: times.length, times, now };
  }

  private pruneBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key);
  }

  private pruneEvents(now: number): void {
    for (const [key, entry] of this.events) if (!entry.times.some((t) => t > now - entry.windowMs)) this.events.delete(key);
  }
}
