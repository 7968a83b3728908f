import WebSocket from 'ws';
import { ReconnectingSocket, type WebSocketCtor } from '../../browser/net/reconnecting-socket';
import { WsClose } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import type { Ledger } from './ledger';

/**
 * One simulated party over the real protocol: an agent (signed in; accepts every offer) or a widget
 * customer. It uses the apps' own socket core (browser/net/reconnecting-socket.ts: hello, heartbeat,
 * reconnect with the apps' backoff) and keeps an outbox as the apps do: a message keeps its
 * clientMsgId, goes out when the socket is accepted, is resent on every new connection (and, for the
 * customer, after 8 s without an echo, as the widget does) until its `chat.message` echo comes back.
 */

/** The load balancer in front of the nodes: a node that died is skipped (nginx `max_fails=1`). */
export class Balancer {
  private readonly dead = new Set<number>();

  constructor(readonly nodes: readonly { id: string; url: string }[]) {}

  markDead(index: number): void {
    this.dead.add(index);
  }

  /** The party's home node while it lives, else the next live one. */
  pick(home: number): number {
    for (let k = 0; k < this.nodes.length; k++) {
      const i = (home + k) % this.nodes.length;
      if (!this.dead.has(i)) return i;
    }
    return home;
  }
}

type Frame = { type: string; [key: string]: unknown };
interface WireMessage {
  seq: number;
  from: 'agent' | 'customer';
  text: string;
}

/** Fatal closes for the bench: any of them means the run is broken, not a reconnect. */
const FATAL: Record<number, string> = {
  [WsClose.unauthenticated]: 'unauthenticated',
  [WsClose.protocolMismatch]: 'protocol-mismatch',
  [WsClose.signedOut]: 'signed-out',
  [WsClose.accountChanged]: 'account-changed',
};

const CUSTOMER_ACK_TIMEOUT_MS = 8_000;

export interface PartyOptions {
  kind: 'agent' | 'customer';
  token: string;
  balancer: Balancer;
  home: number;
  ledger: Ledger;
  /** Agent: an offer was accepted (interaction opened on this agent). Customer: its chat is connected. */
  onReady?(interactionId: string): void;
  onFatal?(why: string): void;
  onOffer?(): void;
}

export class SimParty {
  /** The node of the accepted socket; null while not connected. */
  node: string | null = null;
  readonly errors = new Map<string, number>();
  /** Why this party's sockets ended (close code and reason, or the core's "dead" verdict), counted. */
  readonly socketEnds = new Map<string, number>();
  /** performance.now() of each loss of an accepted socket and of each acceptance after one. */
  readonly drops: number[] = [];
  readonly reaccepts: number[] = [];
  private readonly socket: ReconnectingSocket<Frame, Frame, string>;
  private readonly outbox = new Map<string, { interactionId: string; lastSentAt: number }>();
  private readonly ready = new Set<string>();
  private pendingNode: string | null = null;
  private wasOpen = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly o: PartyOptions) {
    const balancer = o.balancer;
    const picked = (id: string) => (this.pendingNode = id);
    // The URL the core passes is ignored: the balancer picks the node for each new socket.
    const BalancedSocket = function (_url: string) {
      const node = balancer.nodes[balancer.pick(o.home)]!;
      picked(node.id);
      const ws = new WebSocket(`${node.url.replace(/^http/, 'ws')}/ws`);
      // The core drops its handlers before closing a socket it gave up on; ws then still emits
      // 'error' (closed before established), which must not crash the bench.
      ws.on('error', () => undefined);
      return ws;
    } as unknown as WebSocketCtor;
    this.socket = new ReconnectingSocket<Frame, Frame, string>({
      url: 'ws://balancer/ws',
      WebSocket: BalancedSocket,
      defaultHeartbeatMs: 15_000,
      connectTimeoutMs: o.kind === 'agent' ? 30_000 : 10_000,
      liveness: o.kind === 'agent' ? { kind: 'pong' } : { kind: 'any-frame', graceMs: 1_000 },
      fatalCodes: FATAL,
      hello: () => ({ type: 'hello', protocol: PROTOCOL_VERSION, token: o.token }),
      ping: (id) => ({ type: 'ping', id }),
      decode: (text) => {
        try {
          return JSON.parse(text) as Frame;
        } catch {
          return null;
        }
      },
      acceptedHeartbeatMs: (f) => (f.type === 'hello.ok' || f.type === 'hello.customer' ? Number(f.heartbeatMs) : null),
      errorText: (f) => (f.type === 'error' ? String(f.message) : null),
      onState: (change) => this.state(change.state),
      onFrame: (f) => this.frame(f),
      onFatal: ({ kind, serverMessage }) => o.onFatal?.(`${o.kind} closed for good: ${kind} ${serverMessage ?? ''}`),
      // The core's own log lines say why each socket ended: counted by kind (no ids in them).
      logger: { info: (line: unknown) => this.socketEnd(line), warn: (line: unknown) => this.socketEnd(line) },
    });
  }

  connect(): void {
    this.socket.connect();
    if (this.o.kind === 'customer') this.timer = setInterval(() => this.resendTimedOut(), 1_000);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.socket.close();
  }

  /** Messages typed and not acknowledged yet. */
  /** Which kind of party, and its node before any failure (for the summary). */
  get kind(): 'agent' | 'customer' {
    return this.o.kind;
  }

  get pending(): number {
    return this.outbox.size;
  }

  /** The party types message `id` in `interactionId`: entered in the ledger, sent now or when connected. */
  type(interactionId: string, id: string): void {
    this.o.ledger.send(id, { interactionId, at: performance.now(), node: this.node });
    this.outbox.set(id, { interactionId, lastSentAt: 0 });
    this.push(id);
  }

  private push(id: string): void {
    const entry = this.outbox.get(id);
    if (!entry) return;
    if (this.socket.send({ type: 'chat.send', interactionId: entry.interactionId, clientMsgId: id, text: id })) {
      entry.lastSentAt = performance.now();
      this.o.ledger.attempt(id, this.node);
    }
  }

  private resendTimedOut(): void {
    const now = performance.now();
    for (const [id, e] of this.outbox) if (e.lastSentAt > 0 && now - e.lastSentAt >= CUSTOMER_ACK_TIMEOUT_MS) this.push(id);
  }

  private socketEnd(line: unknown): void {
    const text = String(line).replace(/^\[veildesk\] /, '').replace(/; reconnecting$/, '');
    this.socketEnds.set(text, (this.socketEnds.get(text) ?? 0) + 1);
  }

  private state(state: string): void {
    if (state === 'open') {
      this.node = this.pendingNode;
      if (this.wasOpen) this.reaccepts.push(performance.now());
      this.wasOpen = true;
      // Everything not acknowledged goes out again on the new connection, oldest first.
      for (const id of this.outbox.keys()) this.push(id);
    } else if (this.node !== null) {
      this.node = null;
      this.drops.push(performance.now());
    }
  }

  private frame(f: Frame): void {
    const mine = this.o.kind;
    switch (f.type) {
      case 'offer': {
        const interaction = f.interaction as { id: string };
        this.o.onOffer?.();
        this.socket.send({ type: 'offer.accept', interactionId: interaction.id });
        return;
      }
      case 'interaction.opened': {
        const interaction = f.interaction as { id: string; messages: WireMessage[] };
        this.history(interaction.id, interaction.messages);
        if (!this.ready.has(interaction.id)) {
          this.ready.add(interaction.id);
          this.o.onReady?.(interaction.id);
        }
        return;
      }
      case 'hello.customer':
        return this.history(String(f.interactionId), f.messages as WireMessage[]);
      case 'customer.state':
        if (f.state === 'connected' && !this.ready.has(String(f.interactionId))) {
          this.ready.add(String(f.interactionId));
          this.o.onReady?.(String(f.interactionId));
        }
        return;
      case 'chat.message': {
        const m = f.message as WireMessage;
        if (m.from === mine) {
          const id = typeof f.clientMsgId === 'string' ? f.clientMsgId : null;
          if (id && this.outbox.delete(id)) this.o.ledger.ack(id);
          return;
        }
        this.o.ledger.seen(m.text, { seq: m.seq, at: performance.now(), node: this.node, live: true });
        return;
      }
      case 'error': {
        const code = String(f.code);
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        return;
      }
    }
  }

  /** The conversation as stored, handed back on a (re)connect: the other side's messages count as seen. */
  private history(_interactionId: string, messages: WireMessage[]): void {
    const now = performance.now();
    for (const m of messages) if (m.from !== this.o.kind) this.o.ledger.seen(m.text, { seq: m.seq, at: now, node: this.node, live: false });
  }
}
