import { EventEmitter } from 'node:events';
import type { RawData, WebSocket } from 'ws';
import type { RedisLink } from './redis-link';
import { closeQuietly, FrameLog, rawBuffer, type HeldFrame } from './waiting-sockets';

/** What travels between the node holding a client's socket (the edge) and the lease holder. */
type ToLeader = { kind: 'open'; connId: string; address: string } | { kind: 'frame'; connId: string; data: string; binary?: boolean } | { kind: 'gone'; connId: string };
type ToEdge = { kind: 'send'; connId: string; data: string } | { kind: 'close'; connId: string; code: number; reason: string };

/** A client's socket on this node (the edge), relayed to a leader. */
interface Outbound {
  socket: WebSocket;
  address: string;
  leader: string;
  /** What the client sent while the leader has not answered yet. */
  unanswered: FrameLog;
  /** Takes the relay's listeners off the socket (it closes, or goes elsewhere). */
  detach(): void;
  toLeader(message: ToLeader): void;
}

/** WebSocket close codes for a relay that ends: the client reconnects (behind the load balancer, to any node). */
export const RELAY_CLOSE = { leaderChanged: 1012, noLeader: 1013 } as const;

const OPEN = 1;
const CLOSED = 3;

/**
 * A client socket held by another node, as the lease holder's gateway sees it: the same calls as a
 * ws WebSocket (send, close, ping, events), each carried over Redis to the node that holds the real one.
 */
export class RelayedSocket extends EventEmitter {
  readonly OPEN = OPEN;
  readyState: number = OPEN;

  constructor(
    readonly connId: string,
    readonly edge: string,
    private readonly out: (message: ToEdge) => void,
    private readonly edgeAlive: () => boolean,
  ) {
    super();
  }

  send(data: string): void {
    if (this.readyState === OPEN) this.out({ kind: 'send', connId: this.connId, data });
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState !== OPEN) return;
    this.out({ kind: 'close', connId: this.connId, code, reason });
    this.ended(code, reason);
  }

  terminate(): void {
    this.close(1001, 'connection lost');
  }

  /** The edge pings the real socket itself; here a ping is answered while the edge node is alive. */
  ping(): void {
    if (this.edgeAlive()) setImmediate(() => this.emit('pong'));
  }

  /** The real socket closed (or its node went silent). */
  ended(code = 1006, reason = ''): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    setImmediate(() => this.emit('close', code, Buffer.from(reason)));
  }
}

export interface SocketRelayDeps {
  link: RedisLink;
  /** The lease holder's gateway takes a relayed socket as it takes a local one. */
  accept(socket: WebSocket, address: string): void;
  heartbeatMs: number;
  /** A node not heard from for this long is gone: its relayed sockets close. */
  nodeSilenceMs: number;
  log?: { warn(obj: object, msg: string): void };
}

/**
 * Client sockets on a node that does not hold the routing lease are relayed over Redis pub/sub to
 * the node that does, where the whole domain runs (routing, live interactions, presence, shares,
 * monitoring): every frame the client may receive is delivered back to the node holding its socket.
 * Each node listens on its own channel (`node:<id>`); frames of one socket keep their order (one
 * publisher connection per node, and Redis delivers a channel's messages in order).
 */
export class SocketRelay {
  /** Edge side: real sockets relayed to a leader, by connection id. */
  private readonly outbound = new Map<string, Outbound>();
  /** Leader side: sockets held by other nodes. */
  private readonly inbound = new Map<string, RelayedSocket>();
  private readonly lastSeen = new Map<string, number>();
  private nextId = 1;
  private timer?: NodeJS.Timeout;
  private offs: (() => void)[] = [];

  constructor(private readonly deps: SocketRelayDeps) {}

  async start(): Promise<void> {
    const { link } = this.deps;
    this.offs.push(await link.subscribe(`node:${link.nodeId}`, (payload) => this.receive(payload as ToLeader | ToEdge)));
    this.offs.push(await link.subscribe('nodes', (_payload, from) => this.lastSeen.set(from, Date.now())));
    this.timer = setInterval(() => this.beat(), this.deps.heartbeatMs);
    void link.publish('nodes', { kind: 'beat' });
  }

  /**
   * Edge side: hands a client's socket to the leader; `replay`: frames it sent while it waited
   * here (waiting-sockets.ts), sent first.
   */
  relay(socket: WebSocket, address: string, leader: string, replay: readonly HeldFrame[] = []): void {
    const connId = `${this.deps.link.nodeId}:${this.nextId++}`;
    // Until the leader answers, what the client sent is kept: a leader that dies before answering
    // (its lease not yet expired) leaves a socket that can go to the next holder instead of closing.
    const unanswered = new FrameLog();
    const toLeader = (message: ToLeader) => void this.deps.link.publish(`node:${leader}`, message).catch(() => undefined);
    toLeader({ kind: 'open', connId, address });
    const forward = (data: RawData, binary: boolean) => {
      const bytes = rawBuffer(data);
      toLeader({ kind: 'frame', connId, data: binary ? '' : bytes.toString(), ...(binary ? { binary: true } : {}) });
      unanswered.add(bytes, binary);
    };
    for (const f of replay) forward(f.data, f.binary);
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, this.deps.heartbeatMs * 5);
    const onPong = () => (alive = true);
    const onMessage = (data: RawData, binary: boolean) => {
      alive = true;
      forward(data, binary);
    };
    const onError = () => undefined;
    const onClose = () => {
      clearInterval(ping);
      if (this.outbound.delete(connId)) toLeader({ kind: 'gone', connId });
    };
    socket.on('pong', onPong);
    socket.on('message', onMessage);
    socket.on('error', onError);
    socket.on('close', onClose);
    const detach = () => {
      clearInterval(ping);
      socket.off('pong', onPong);
      socket.off('message', onMessage);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    this.outbound.set(connId, { socket, address, leader, unanswered, detach, toLeader });
  }

  /**
   * Edge side: the lease moved or its holder went silent; relayed clients reconnect (and find the
   * new holder). A socket its old leader never answered goes to `unanswered` instead, with what it
   * sent (its hello): the client is still waiting to be accepted and need not reconnect.
   */
  dropRelaysTo(leader: string | null, code: number, reason: string, unanswered?: (socket: WebSocket, address: string, log: FrameLog) => void): void {
    for (const [connId, r] of this.outbound) {
      if (leader !== null && r.leader !== leader) continue;
      this.outbound.delete(connId);
      r.detach();
      if (unanswered && r.unanswered.replayable) {
        r.toLeader({ kind: 'gone', connId });
        unanswered(r.socket, r.address, r.unanswered);
      } else closeQuietly(r.socket, code, reason);
    }
  }

  get relayedOut(): number {
    return this.outbound.size;
  }

  /** A sign of life from a node other than its heartbeat (its lease was renewed). */
  seen(nodeId: string): void {
    this.lastSeen.set(nodeId, Date.now());
  }

  /** Whether a node has been heard from recently. */
  alive(nodeId: string): boolean {
    const seen = this.lastSeen.get(nodeId);
    return seen !== undefined && Date.now() - seen < this.deps.nodeSilenceMs;
  }

  private receive(message: ToLeader | ToEdge): void {
    switch (message.kind) {
      case 'open': {
        const edge = message.connId.slice(0, message.connId.lastIndexOf(':'));
        const socket = new RelayedSocket(message.connId, edge, (m) => void this.deps.link.publish(`node:${edge}`, m).catch(() => undefined), () => this.alive(edge));
        this.lastSeen.set(edge, Date.now());
        this.inbound.set(message.connId, socket);
        socket.once('close', () => this.inbound.delete(message.connId));
        this.deps.accept(socket as unknown as WebSocket, message.address);
        return;
      }
      case 'frame':
        return void this.inbound.get(message.connId)?.emit('message', Buffer.from(message.data), message.binary === true);
      case 'send': {
        const r = this.outbound.get(message.connId);
        r?.unanswered.forget();
        if (r && r.socket.readyState === r.socket.OPEN) r.socket.send(message.data);
        return;
      }
      case 'gone':
        return this.inbound.get(message.connId)?.ended(1000, '');
      case 'close': {
        const r = this.outbound.get(message.connId);
        if (!r) return;
        this.outbound.delete(message.connId);
        r.detach();
        closeQuietly(r.socket, message.code, message.reason);
      }
    }
  }

  private beat(): void {
    void this.deps.link.publish('nodes', { kind: 'beat' }).catch(() => undefined);
    // Leader side: sockets whose node went silent (it died) are closed, so presence and shares end for them.
    for (const socket of this.inbound.values()) if (!this.alive(socket.edge)) socket.ended(1006, 'node gone');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const off of this.offs) off();
    this.dropRelaysTo(null, 1001, 'server shutting down');
    for (const s of this.inbound.values()) s.ended(1001, 'server shutting down');
  }
}
