import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { ServerConfig } from '../../config';
import { DomainError } from '../../kernel/errors';
import { installHttpForwarding } from './http-forward';
import { RedisLimitStore } from './redis-limit-store';
import { RedisLink } from './redis-link';
import { RoutingLease, type LeaseHolder } from './routing-lease';
import { RELAY_CLOSE, SocketRelay } from './socket-relay';
import { WaitingSockets, type FrameLog, type SocketTarget } from './waiting-sockets';

type Log = FastifyInstance['log'];

/** How long a node holds a client socket while no node can serve it (then 1013: the app retries). */
const WAIT_MAX_MS = 8_000;

/**
 * This node's part in a deployment of several (VEILDESK_REDIS_URL set). One node at a time holds
 * the routing lease and runs the domain (routing, live interactions, presence, shares, monitoring,
 * background jobs), exactly as a single node does; every node takes client connections, relays
 * WebSockets to the holder over Redis and forwards API requests to it. Limits are counted in Redis.
 * When the holder dies, another node takes the lease once it expires (within the TTL), recovers the
 * open interactions from the database; clients its relays had connected reconnect (1012), and those
 * still waiting for their hello's answer (or arriving meanwhile) are held and handed to it.
 */
export class ClusterNode {
  readonly limits: RedisLimitStore;
  private relay?: SocketRelay;
  private waiting?: WaitingSockets;
  private lease?: RoutingLease;
  /** Set once this node holds the lease and its modules have started. */
  private serving = false;
  private holder: LeaseHolder | null = null;

  private constructor(
    readonly link: RedisLink,
    private readonly config: ServerConfig,
    private readonly log: Log,
    limitKeySecret: Buffer,
  ) {
    this.limits = new RedisLimitStore(link, limitKeySecret);
  }

  /** `sharedSecret`: the audit key, the same on every node; limit keys in Redis are hashed with a key derived from it. */
  static async open(config: ServerConfig, log: Log, sharedSecret: Buffer): Promise<ClusterNode> {
    const link = await RedisLink.open({ url: config.redisUrl!, prefix: config.redisPrefix, nodeId: config.nodeId, log });
    const limitKeySecret = createHmac('sha256', sharedSecret).update('veildesk redis limit keys').digest();
    return new ClusterNode(link, config, log, limitKeySecret);
  }

  get nodeId(): string {
    return this.link.nodeId;
  }

  /** Whether this node runs the domain now (holds the lease and has started its modules). */
  isServing(): boolean {
    return this.serving && this.lease?.token() !== null;
  }

  /** The fencing token while the lease is held; null otherwise. */
  leaseToken(): number | null {
    return this.lease?.token() ?? null;
  }

  /**
   * Before a routing decision is written: refused unless this node holds the lease now (its last
   * renewal is younger than the TTL, so no other node can have taken it yet).
   */
  fence(): void {
    if (this.lease?.token() == null) throw new DomainError('unavailable', 'Routing is moving to another server. Try again in a few seconds.');
  }

  /** Who holds the lease, as last seen. */
  leaseHolder(): LeaseHolder | null {
    return this.holder;
  }

  /** Before the routes: API requests go to the holder while this node is not it. */
  installForwarding(app: FastifyInstance): void {
    installHttpForwarding(app, () => (this.isServing() ? 'here' : this.holder && this.holder.nodeId !== this.nodeId ? this.holder.url : null));
  }

  /**
   * The gateway asks for each new socket: false to take it here (this node serves); otherwise it was
   * relayed to the holder, or is held here until a node can serve it (waiting-sockets.ts).
   */
  route(socket: WebSocket, address: string): boolean {
    if (this.isServing()) return false;
    if (!this.relay || !this.waiting) {
      socket.close(RELAY_CLOSE.noLeader, 'no routing node yet: reconnect');
      return true;
    }
    const to = this.target();
    if (to?.kind === 'relay') this.relay.relay(socket, address, to.leader);
    else this.waiting.hold(socket, address);
    return true;
  }

  /** Where a client socket goes now: here while serving, to a holder heard from lately, else it waits. */
  private target(): SocketTarget {
    if (this.isServing()) return { kind: 'here' };
    const holder = this.holder;
    if (holder && holder.nodeId !== this.nodeId && this.relay?.alive(holder.nodeId)) return { kind: 'relay', leader: holder.nodeId };
    return null;
  }

  /**
   * Once the server listens: relay channels open and the lease loop starts. `serve` starts the
   * domain (modules) when the lease is won; `lost` runs when it is lost while held (fail-stop).
   */
  async join(opts: { url: string; accept(socket: WebSocket, address: string): void; serve(): Promise<void>; lost(): void }): Promise<void> {
    const relay = new SocketRelay({ link: this.link, accept: opts.accept, heartbeatMs: this.config.leaseRenewMs, nodeSilenceMs: this.config.leaseTtlMs, log: this.log });
    this.relay = relay;
    const waiting = new WaitingSockets({
      target: () => this.target(),
      deliver: (socket, address, frames, to) => {
        if (to.kind === 'relay') return relay.relay(socket, address, to.leader, frames);
        opts.accept(socket, address);
        // The gateway listens now: what the client sent while it waited (its hello) arrives as if just sent.
        for (const f of frames) socket.emit('message', f.data, f.binary);
      },
      // Covers a lease in doubt (one TTL) and a takeover's recovery; below the widget's 10 s connect timeout.
      maxWaitMs: WAIT_MAX_MS,
    });
    this.waiting = waiting;
    const hold = (socket: WebSocket, address: string, log: FrameLog) => waiting.hold(socket, address, log);
    // Relays to a holder that is gone end: the clients reconnect and reach the new one; a client its
    // old holder never answered (it likely died) waits here for the new one instead.
    const holderMoved = (before: LeaseHolder | null, now: LeaseHolder | null) => {
      if (before && before.nodeId !== now?.nodeId) relay.dropRelaysTo(before.nodeId, RELAY_CLOSE.leaderChanged, 'routing moved to another node: reconnect', hold);
      waiting.retry();
    };
    await relay.start();
    this.lease = new RoutingLease(this.link, {
      ttlMs: this.config.leaseTtlMs,
      renewMs: this.config.leaseRenewMs,
      url: opts.url,
      log: this.log,
      onHolderChanged: (holder) => {
        const before = this.holder;
        this.holder = holder;
        holderMoved(before, holder);
      },
      onHolderSeen: (holder) => {
        relay.seen(holder.nodeId);
        waiting.retry();
      },
      onAcquired: async (holder) => {
        this.holder = holder;
        this.log.warn({ node: this.nodeId, token: holder.token }, 'routing lease acquired: this node serves');
        relay.dropRelaysTo(null, RELAY_CLOSE.leaderChanged, 'routing moved to this node: reconnect', hold);
        await opts.serve();
        this.serving = true;
        waiting.retry();
        await this.link.publish('lease', holder);
      },
      onLost: () => {
        this.serving = false;
        opts.lost();
      },
    });
    // Another node's win is seen at once, not at this node's next try.
    await this.link.subscribe('lease', (payload) => {
      const holder = payload as LeaseHolder;
      if (holder.nodeId !== this.nodeId && holder.token >= (this.holder?.token ?? 0)) {
        const before = this.holder;
        this.holder = holder;
        relay.seen(holder.nodeId);
        holderMoved(before, holder);
      }
    });
    await this.lease.start();
  }

  async close(): Promise<void> {
    this.serving = false;
    await this.lease?.stop();
    this.waiting?.closeAll(1001, 'server shutting down');
    this.relay?.stop();
    await this.link.close();
  }
}
