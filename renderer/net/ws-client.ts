import {
  type ClientMessage,
  type Presence,
  PROTOCOL_VERSION,
  ServerMessage,
  type ServerMessageOf,
  WsClose,
} from '../../shared';
import { type BackoffOptions } from '../../browser/net/backoff';
import {
  type ConnectionState,
  ReconnectingSocket,
  type SocketStateChange,
  type WebSocketCtor,
} from '../../browser/net/reconnecting-socket';
import { Emitter } from './emitter';

export type { ConnectionState, WebSocketCtor, WebSocketLike } from '../../browser/net/reconnecting-socket';

/**
 * The agent app's live connection to the server, independent of React so it can be tested in Node
 * with a fake socket. The shared socket core (browser/net/reconnecting-socket.ts) does hello,
 * heartbeat and reconnect; this layer validates frames with the contracts, keeps the chosen
 * presence across reconnects and turns frames and fatal closes into typed events.
 */

/** Why the server refused us for good; the UI turns each into an instruction. */
export type FatalReason = 'unauthenticated' | 'protocol-mismatch' | 'signed-out' | 'policy-not-accepted' | 'account-changed' | 'password-change-required';

export type SelectablePresence = Exclude<Presence, 'offline'>;

export type WsStateChange = SocketStateChange;

/** Frames only a customer connection receives; a staff client ignores them. */
type CustomerOnlyFrame = 'hello.customer' | 'customer.state';

/** Server frames handled by the client itself rather than passed through as-is. */
type ProtocolFrame = 'hello.ok' | 'pong' | 'error' | 'presence.self' | 'roster.snapshot' | 'roster.changed';

/** Interaction frames (offers, chats, calls, wrap-up, board), emitted under their own `type`. */
export type InteractionFrameType = Exclude<ServerMessage['type'], CustomerOnlyFrame | ProtocolFrame>;
export type InteractionFrameEvents = { [K in InteractionFrameType]: ServerMessageOf<K> };

export interface WsClientEvents extends Record<string, unknown>, InteractionFrameEvents {
  state: WsStateChange;
  hello: ServerMessageOf<'hello.ok'>;
  presence: ServerMessageOf<'presence.self'>;
  'roster.snapshot': ServerMessageOf<'roster.snapshot'>;
  'roster.changed': ServerMessageOf<'roster.changed'>;
  /** An error frame; the connection may continue (e.g. a refused presence change). */
  'server-error': ServerMessageOf<'error'>;
  /** The server closed with a code that forbids reconnecting. The client is now closed. */
  fatal: { reason: FatalReason; code: number; message: string };
}

export interface WsClientOptions {
  /** ws:// or wss:// URL of the socket endpoint. Never carries the token. */
  url: string;
  token: string;
  protocol?: number;
  /** Injectable socket constructor; defaults to the global WebSocket. */
  WebSocket?: WebSocketCtor;
  backoff?: Partial<BackoffOptions>;
  /** Heartbeat used until the server announces its own in hello.ok. */
  defaultHeartbeatMs?: number;
  /** How long a new socket may take to be accepted (open + hello.ok) before it counts as dead. */
  connectTimeoutMs?: number;
  /** Silence after which an accepted socket counts as dead (a link lost without a close frame). */
  deadLinkMs?: number;
  random?: () => number;
  logger?: Pick<Console, 'warn' | 'info'>;
}

/**
 * The top bar must say offline within 10 s of the link dying; with pings every third of this and
 * the render after it, 7 s leaves room. A pong slower than about 4.5 s counts as a dead link too.
 */
export const DEAD_LINK_MS = 7_000;

const FATAL_CODES: Record<number, FatalReason> = {
  [WsClose.unauthenticated]: 'unauthenticated',
  [WsClose.protocolMismatch]: 'protocol-mismatch',
  [WsClose.signedOut]: 'signed-out',
  [WsClose.policyNotAccepted]: 'policy-not-accepted',
  [WsClose.accountChanged]: 'account-changed',
  [WsClose.passwordChangeRequired]: 'password-change-required',
};

export class WsClient {
  private readonly emitter = new Emitter<WsClientEvents>();
  private readonly socket: ReconnectingSocket<ServerMessage, ClientMessage, FatalReason>;
  private readonly logger: Pick<Console, 'warn' | 'info'>;
  private chosenPresence: SelectablePresence | null = null;
  private seq = 0;

  constructor(options: WsClientOptions) {
    this.logger = options.logger ?? console;
    const protocol = options.protocol ?? PROTOCOL_VERSION;
    const defaultHeartbeatMs = options.defaultHeartbeatMs ?? 15_000;
    this.socket = new ReconnectingSocket<ServerMessage, ClientMessage, FatalReason>({
      url: options.url,
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.random ? { random: options.random } : {}),
      defaultHeartbeatMs,
      connectTimeoutMs: options.connectTimeoutMs ?? 2 * defaultHeartbeatMs,
      liveness: { kind: 'pong' },
      deadLinkMs: options.deadLinkMs ?? DEAD_LINK_MS,
      fatalCodes: FATAL_CODES,
      logger: this.logger,
      hello: () => ({ type: 'hello', protocol, token: options.token }),
      ping: (id) => ({ type: 'ping', id }),
      decode: (text) => this.decode(text),
      acceptedHeartbeatMs: (frame) => (frame.type === 'hello.ok' ? frame.heartbeatMs : null),
      errorText: (frame) => (frame.type === 'error' ? frame.message : null),
      onState: (change) => this.emitter.emit('state', change),
      onFrame: (frame) => this.handleFrame(frame),
      onFatal: ({ kind, code, reason, serverMessage }) => this.emitter.emit('fatal', { reason: kind, code, message: serverMessage || reason || kind }),
    });
  }

  get state(): ConnectionState {
    return this.socket.state;
  }

  on<K extends keyof WsClientEvents>(event: K, listener: (payload: WsClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Starts connecting; calling it again while active does nothing. */
  connect(): void {
    this.socket.connect();
  }

  /** Closes for good (sign-out, window closing): no reconnect, no further events. */
  close(): void {
    this.socket.close();
  }

  /** Skips the remaining backoff wait, e.g. when the browser reports it is back online. */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** Woke from sleep or changed network: a new socket now, whatever the old one looks like. */
  freshStart(why: string): void {
    this.socket.freshStart(why);
  }

  /** The browser reports the network gone: count the socket dead now, retry with backoff. */
  networkLost(): void {
    this.socket.networkLost();
  }

  /**
   * Chooses a presence. Sent now when the session is open, otherwise applied after the next
   * accepted hello. Returns the request id when a frame was sent, so errors can be matched to it.
   */
  setPresence(presence: SelectablePresence): string | null {
    this.chosenPresence = presence;
    return this.sendPresence(presence);
  }

  /**
   * Sends any client frame on the accepted session. Returns false when the session is not open
   * (connecting, reconnecting, closed): nothing is queued here, callers keep their own outbox.
   */
  send(message: ClientMessage): boolean {
    return message.type !== 'hello' && this.socket.send(message);
  }

  /** Removes every listener; used when the owner discards this client. */
  dispose(): void {
    this.close();
    this.emitter.clear();
  }

  // ---- frames ----

  private decode(text: string): ServerMessage | null {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.logger.warn('[veildesk] ignored a frame that is not JSON');
      return null;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      // An unknown or malformed frame is logged and skipped; it must not kill a working session.
      this.logger.warn('[veildesk] ignored an invalid frame', parsed.error.issues);
      return null;
    }
    return parsed.data;
  }

  private handleFrame(message: ServerMessage): void {
    switch (message.type) {
      case 'hello.ok':
        this.onHelloOk(message);
        return;
      case 'pong':
        return;
      case 'error':
        this.emitter.emit('server-error', message);
        return;
      case 'presence.self':
        // A change made elsewhere (another window, a supervisor) becomes the choice to restore.
        if (this.socket.accepted && message.presence !== 'offline') this.chosenPresence = message.presence;
        this.emitter.emit('presence', message);
        return;
      case 'roster.snapshot':
        this.emitter.emit('roster.snapshot', message);
        return;
      case 'roster.changed':
        this.emitter.emit('roster.changed', message);
        return;
      case 'hello.customer':
      case 'customer.state':
        // Meant for the customer widget; a staff session never acts on them.
        return;
      default:
        this.emitInteractionFrame(message);
    }
  }

  private emitInteractionFrame(message: InteractionFrameEvents[InteractionFrameType]): void {
    // Until hello.ok the session is not ours yet; nothing but the handshake may arrive.
    if (!this.socket.accepted) return;
    // The union is correlated by `type`, which TypeScript cannot follow through emit's generic.
    this.emitter.emit(message.type, message as never);
  }

  private onHelloOk(message: ServerMessageOf<'hello.ok'>): void {
    this.emitter.emit('hello', message);
    // The server keeps presence through a short grace period; only re-apply when it forgot.
    if (this.chosenPresence && message.presence !== this.chosenPresence) {
      this.sendPresence(this.chosenPresence);
    }
  }

  private sendPresence(presence: SelectablePresence): string | null {
    const id = `presence-${++this.seq}`;
    return this.socket.send({ type: 'presence.set', presence, id }) ? id : null;
  }
}
