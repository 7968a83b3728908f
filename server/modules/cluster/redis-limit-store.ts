import { createHmac, randomBytes } from 'node:crypto';
import { MemoryLimitStore } from '../limits/memory-store';
import type { LimitStore, RateDecision, RateLimit, WindowCount } from '../limits/store';
import type { RedisLink } from './redis-link';

/*
 * Event windows as sorted sets (score: the time in ms), on Redis's own clock (TIME) so nodes whose
 * clocks differ still count the same window. Each script runs atomically on the Redis server.
 */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const RECORD = `${NOW}
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[2])
if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
return now`;
const COUNT = `${NOW}
local scores = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - tonumber(ARGV[1])), '+inf', 'WITHSCORES')
local out = { now }
for i = 2, #scores, 2 do out[#out + 1] = tonumber(scores[i]) end
return out`;
const HIT = `${NOW}
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], n - max, n - max, 'WITHSCORES')
  return { 0, math.max(1, tonumber(oldest[2]) + window - now) }
end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
return { 1, 0 }`;

/**
 * The LimitStore shared by every node: failed sign-ins, widget starts and flood penalties are
 * counted once in Redis, and each decision that counts and records (hit) is one Lua script, so two
 * nodes cannot both let the last allowed request through. Token buckets and socket slots stay in
 * the node's memory (store.ts says why).
 */
export class RedisLimitStore implements LimitStore {
  private readonly local = new MemoryLimitStore();

  /**
   * `keySecret`: the same on every node (derived from the audit key). Limit names hold usernames and
   * client addresses; Redis gets only their keyed hash, so it keeps no personal data.
   */
  constructor(
    private readonly link: RedisLink,
    private readonly keySecret: Buffer,
  ) {}

  take(key: string, limit: RateLimit, cost?: number): RateDecision {
    return this.local.take(key, limit, cost);
  }

  acquire(key: string, max: number): (() => void) | null {
    return this.local.acquire(key, max);
  }

  async record(key: string, windowMs: number): Promise<void> {
    await this.link.redis.eval(RECORD, 1, this.key(key), windowMs, unique());
  }

  async count(key: string, windowMs: number): Promise<WindowCount> {
    const [now, ...times] = (await this.link.redis.eval(COUNT, 1, this.key(key), windowMs)) as number[];
    return { count: times.length, times, now: now ?? Date.now() };
  }

  async reset(key: string): Promise<void> {
    await this.link.redis.del(this.key(key));
  }

  async hit(key: string, windowMs: number, max: number): Promise<RateDecision> {
    const [allowed, retryAfterMs] = (await this.link.redis.eval(HIT, 1, this.key(key), windowMs, max, unique())) as [number, number];
    return { allowed: allowed === 1, retryAfterMs };
  }

  private key(name: string): string {
    return this.link.key(`limit:${createHmac('sha256', this.keySecret).update(name).digest('base64url')}`);
  }
}

/** Two events in the same millisecond are two members of the set. */
const unique = () => randomBytes(6).toString('base64url');
