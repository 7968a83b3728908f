import type { RedisLink } from './redis-link';

/** Who holds the lease: a node, how other nodes reach it, and the fencing token it got. */
export interface LeaseHolder {
  nodeId: string;
  /** The holder's HTTP address for other nodes (WebSocket relay and HTTP forwarding go there). */
  url: string;
  /** Grows with every acquisition: a write carrying an older token than one already seen is from a deposed holder. */
  token: number;
}

// Acquires only when nobody holds it; the token comes from INCR in the same step, so tokens never repeat or go back.
// A held lease comes back with the time it has left, so the next try can be made the moment it expires.
const ACQUIRE = `local v = redis.call('GET', KEYS[1])
if v then return { 0, v, redis.call('PTTL', KEYS[1]) } end
local t = redis.call('INCR', KEYS[2])
v = cjson.encode({ nodeId = ARGV[1], url = ARGV[2], token = t })
redis.call('SET', KEYS[1], v, 'PX', ARGV[3])
return { 1, v }`;
// Renews only our own lease (compare and extend in one step).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface RoutingLeaseOptions {
  ttlMs: number;
  renewMs: number;
  /** This node's address for the others. */
  url: string;
  onAcquired(holder: LeaseHolder): void | Promise<void>;
  /** The lease was lost while held (Redis unreachable past the TTL, or taken after an expiry): stop deciding at once. */
  onLost(): void;
  /** Someone else holds it (or nobody, null); called on every change seen. */
  onHolderChanged?(holder: LeaseHolder | null): void;
  /** Another node holds it, seen now (its lease is live, so that node is). */
  onHolderSeen?(holder: LeaseHolder): void;
  log?: { warn(obj: object, msg: string): void };
}

/**
 * The routing lease (issue 18): exactly one node runs the routing engine and the live interactions.
 * A Redis key set with NX and a TTL (default 3 s), renewed every second by its holder; every node
 * that does not hold it tries to take it at the same pace and, seeing it run out, once more the
 * moment it expires, so when the holder dies the lease moves within the TTL. The holder counts itself deposed as soon as it cannot prove a
 * renewal within the TTL (measured from before the renewal was sent), before anyone else can take it.
 */
export class RoutingLease {
  private timer?: NodeJS.Timeout;
  private held: { value: string; holder: LeaseHolder; validUntil: number } | null = null;
  private seen: string | null = null;
  private stopped = false;
  private ticking = false;
  /** A try asked for while one was in flight (the try at expiry): made as soon as that one ends. */
  private again = false;
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    private readonly link: RedisLink,
    private readonly opts: RoutingLeaseOptions,
  ) {}

  /** Starts the loop; resolves after the first try (the holder is then known, or this node is it). */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.tick(), this.opts.renewMs);
    await this.tick();
  }

  /** The token while this node holds the lease (and its last renewal is still within the TTL), else null. */
  token(): number | null {
    if (!this.held || Date.now() >= this.held.validUntil) return null;
    return this.held.holder.token;
  }

  /** Throws unless this node holds the lease now: called before a routing decision is written. */
  assertHeld(): number {
    const token = this.token();
    if (token === null) throw new Error('routing lease not held: this node may not decide routing');
    return token;
  }

  holder(): LeaseHolder | null {
    return this.seen ? (JSON.parse(this.seen) as LeaseHolder) : null;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    this.again = false;
    const sentAt = Date.now();
    try {
      if (this.held) {
        const renewed = await this.link.redis.eval(RENEW, 1, this.link.key('lease:routing'), this.held.value, this.opts.ttlMs);
        if (renewed === 1) this.held.validUntil = sentAt + this.opts.ttlMs;
        else this.lose('taken');
      } else {
        const [won, value, leftMs] = (await this.link.redis.eval(ACQUIRE, 2, this.link.key('lease:routing'), this.link.key('lease:routing:token'), this.link.nodeId, this.opts.url, this.opts.ttlMs)) as [number, string, number?];
        this.observe(value);
        if (won === 0) {
          this.opts.onHolderSeen?.(JSON.parse(value) as LeaseHolder);
          this.tryAtExpiry(leftMs);
        }
        if (won === 1 && !this.stopped) {
          const holder = JSON.parse(value) as LeaseHolder;
          this.held = { value, holder, validUntil: sentAt + this.opts.ttlMs };
          await this.opts.onAcquired(holder);
        }
      }
    } catch (err) {
      this.opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'routing lease: Redis call failed');
    } finally {
      this.ticking = false;
    }
    if (this.held && Date.now() >= this.held.validUntil) this.lose('expired');
    if (this.again) void this.tick();
  }

  /**
   * A lease that runs out before the next regular try (its holder did not renew: likely dead) is
   * tried for again the moment it expires, so a takeover takes the TTL, not the TTL plus a period.
   * Scheduled from a little earlier than one period before expiry, so a regular try that comes late
   * (a busy event loop) does not push the takeover past it; a renewal meanwhile only costs one call.
   */
  private tryAtExpiry(leftMs: number | undefined): void {
    if (leftMs === undefined || leftMs < 0 || leftMs >= this.opts.renewMs * 1.5 || this.stopped) return;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(() => void this.tick(), leftMs + 5);
    this.expiryTimer.unref();
  }

  private observe(value: string | null): void {
    if (value === this.seen) return;
    this.seen = value;
    this.opts.onHolderChanged?.(this.holder());
  }

  private lose(why: string): void {
    if (!this.held) return;
    this.opts.log?.warn({ why }, 'routing lease lost');
    this.held = null;
    this.opts.onLost();
  }

  /** Stops renewing; a held lease is released so another node takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    clearTimeout(this.expiryTimer);
    const held = this.held;
    this.held = null;
    if (held) await this.link.redis.eval(RELEASE, 1, this.link.key('lease:routing'), held.value).catch(() => undefined);
  }
}
