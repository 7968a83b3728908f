import { Redis } from 'ioredis';

export interface RedisLinkOptions {
  url: string;
  /** Prefix of every key and channel: several deployments (or test runs) may share one Redis. */
  prefix: string;
  nodeId: string;
  log?: { warn(obj: object, msg: string): void };
}

type Listener = (payload: unknown, from: string) => void;

/**
 * The node's kept Redis connections: one for commands (kept open and reconnected by ioredis, never
 * one per request) and one in subscriber mode for pub/sub, which Redis does not allow to run other
 * commands. Every payload on a channel is JSON with the sending node's id, so a node can tell its own.
 */
export class RedisLink {
  readonly redis: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  private closed = false;

  private constructor(private readonly opts: RedisLinkOptions) {
    // maxRetriesPerRequest null: a command waits through a reconnect instead of failing after 20 tries.
    this.redis = new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: null });
    this.sub = new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: null });
    for (const c of [this.redis, this.sub]) c.on('error', (err: Error) => opts.log?.warn({ err: err.message }, 'redis: connection error (ioredis reconnects)'));
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.dispatch(channel.toString(), message));
  }

  /** Connects both connections; refuses to start when Redis cannot be reached. */
  static async open(opts: RedisLinkOptions): Promise<RedisLink> {
    const link = new RedisLink(opts);
    try {
      await Promise.all([link.redis.connect(), link.sub.connect()]);
      await link.redis.ping();
    } catch (err) {
      link.redis.disconnect();
      link.sub.disconnect();
      throw new Error(`Redis at VEILDESK_REDIS_URL cannot be reached (${err instanceof Error ? err.message : String(err)}). Start Redis, fix the URL, or unset VEILDESK_REDIS_URL to run one node alone.`, { cause: err });
    }
    return link;
  }

  get nodeId(): string {
    return this.opts.nodeId;
  }

  /** A key in this deployment's namespace. */
  key(name: string): string {
    return `${this.opts.prefix}${name}`;
  }

  /** Publishes to every node (this one included: listeners get `from` to tell). */
  async publish(channel: string, payload: unknown): Promise<void> {
    if (this.closed) return;
    await this.redis.publish(this.key(channel), JSON.stringify({ from: this.opts.nodeId, payload }));
  }

  /** Listens on a channel; resolves once Redis confirmed the subscription. Returns the unsubscribe. */
  async subscribe(channel: string, listener: Listener): Promise<() => void> {
    const full = this.key(channel);
    let set = this.listeners.get(full);
    if (!set) {
      set = new Set();
      this.listeners.set(full, set);
      await this.sub.subscribe(full);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private dispatch(channel: string, message: Buffer): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let parsed: { from: string; payload: unknown };
    try {
      parsed = JSON.parse(message.toString()) as { from: string; payload: unknown };
    } catch {
      return;
    }
    for (const l of set) l(parsed.payload, parsed.from);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.sub.quit(), this.redis.quit()]);
  }
}
