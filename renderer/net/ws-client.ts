import {
  type ClientMessage,
  type Presence,
  PROTOCOL_VERSION,
  ServerMessage,
  type ServerMessageOf,
  WsClose,
} from '../../shared';
import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import { Emitter } from './emitter';

/**
 * The live connection to the server, independent of React so it can be tested in Node with a fake
 * socket. It owns the protocol rules: hello first, heartbeat, reconnect with backoff, and which
 * close codes mean "stop and tell the user" instead of "try again".
 */

/** The part of the browser WebSocket this client uses; a fake only needs these members. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketCtor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN; spelled out so the client does not need a global WebSocket to exist. */
const OPEN = 1;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why the server refused us for good; the UI turns each into an instruction. */
export type FatalReason = 'unauthenticated' | 'protocol-mismatch' | 'signed-out';

export type SelectablePresence = Exclude<Presence, 'offline'>;

export interface WsStateChange {
  state: ConnectionState;
  /** Consecutive failed attempts since the last accepted hello. */
  attempt: number;
  /** Delay before the next attempt while reconnecting, else null. */
  retryInMs: number | null;
}

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
  random?: () => number;
  logger?: Pick<Console, 'warn' | 'info'>;
}

const FATAL_CODES: Record<number, FatalReason> = {
  [WsClose.unauthenticated]: 'unauthenticated',
  [WsClose.protocolMismatch]: 'protocol-mismatch',
  [WsClose.signedOut]: 'signed-out',
};

/** Close code we use for a socket we gave up on (4000–4999 are free for applications). */
const CLIENT_DEAD_CODE = 4000;

export class WsClient {
  private readonly emitter = new Emitter<WsClientEvents>();
  private readonly WebSocketImpl: WebSocketCtor;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly logger: Pick<Console, 'warn' | 'info'>;
  private readonly protocol: number;
  private readonly connectTimeoutMs: number;

  private socket: WebSocketLike | null = null;
  private currentState: ConnectionState = 'closed';
  private attempt = 0;
  private heartbeatMs: number;
  private accepted = false;
  private lastEmitted: WsStateChange | null = null;
  private stopped = true;
  private chosenPresence: SelectablePresence | null = null;
  private lastErrorFrame: ServerMessageOf<'error'> | null = null;
  private seq = 0;

  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: WsClientOptions) {
    const ctor = options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!ctor) throw new Error('No WebSocket implementation available');
    this.WebSocketImpl = ctor as WebSocketCtor;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? console;
    this.protocol = options.protocol ?? PROTOCOL_VERSION;
    this.heartbeatMs = options.defaultHeartbeatMs ?? 15_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 2 * this.heartbeatMs;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  on<K extends keyof WsClientEvents>(event: K, listener: (payload: WsClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Starts connecting; calling it again while active does nothing. */
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.setState('connecting', null);
    this.openSocket();
  }

  /** Closes for good (sign-out, window closing): no reconnect, no further events. */
  close(): void {
    this.stopped = true;
    this.clearTimers();
    this.dropSocket(1000, 'client closing');
    this.setState('closed', null);
  }

  /** Skips the remaining backoff wait, e.g. when the browser reports it is back online. */
  reconnectNow(): void {
    if (this.stopped || this.currentState !== 'reconnecting' || this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.setState('reconnecting', null);
    this.openSocket();
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
    if (!this.accepted || message.type === 'hello') return false;
    return this.sendRaw(message);
  }

  /** Removes every listener; used when the owner discards this client. */
  dispose(): void {
    this.close();
    this.emitter.clear();
  }

  // ---- socket lifecycle ----

  private openSocket(): void {
    this.clearTimers();
    this.accepted = false;
    this.lastErrorFrame = null;

    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(this.options.url);
    } catch (err) {
      this.logger.warn('[veildesk] could not create WebSocket', err);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;

    socket.onopen = () => {
      if (this.socket !== socket) return;
      // The token goes in the first frame, never in the URL where proxies and logs could keep it.
      this.sendRaw({ type: 'hello', protocol: this.protocol, token: this.options.token });
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.handleFrame(event.data);
    };
    socket.onerror = () => {
      // A close event always follows; reconnect is decided there.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.handleClose(event.code, event.reason);
    };

    // Covers a connect that hangs (black-holed network) or a server that never answers hello.
    this.armDeadline(this.connectTimeoutMs, 'no hello.ok in time');
  }

  private handleClose(code: number, reason: string): void {
    this.detach();
    this.socket = null;
    this.clearTimers();

    const fatal = FATAL_CODES[code];
    if (fatal) {
      this.stopped = true;
      this.setState('closed', null);
      const message = this.lastErrorFrame?.message || reason || fatal;
      this.emitter.emit('fatal', { reason: fatal, code, message });
      return;
    }
    if (this.stopped) return;
    this.logger.info(`[veildesk] connection closed (${code}${reason ? `: ${reason}` : ''}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.setState('reconnecting', delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setState('reconnecting', null);
      this.openSocket();
    }, delay);
  }

  /** Gives up on the current socket without waiting for a close handshake that may never come. */
  private declareDead(why: string): void {
    this.logger.warn(`[veildesk] connection is dead (${why}); reconnecting`);
    this.dropSocket(CLIENT_DEAD_CODE, why);
    this.clearTimers();
    this.scheduleReconnect();
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.detach();
    this.socket = null;
    try {
      socket.close(code, reason);
    } catch {
      // Already closing or closed: nothing left to release.
    }
  }

  private detach(): void {
    const socket = this.socket;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onerror = null;
    socket.onclose = null;
  }

  // ---- frames ----

  private handleFrame(data: unknown): void {
    if (typeof data !== 'string') {
      this.logger.warn('[veildesk] ignored a non-text frame');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.logger.warn('[veildesk] ignored a frame that is not JSON');
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      // An unknown or malformed frame is logged and skipped; it must not kill a working session.
      this.logger.warn('[veildesk] ignored an invalid frame', parsed.error.issues);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'hello.ok':
        this.onHelloOk(message);
        return;
      case 'pong':
        this.clearDeadline();
        return;
      case 'error':
        this.lastErrorFrame = message;
        this.emitter.emit('server-error', message);
        return;
      case 'presence.self':
        // A change made elsewhere (another window, a supervisor) becomes the choice to restore.
        if (this.accepted && message.presence !== 'offline') this.chosenPresence = message.presence;
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
    if (!this.accepted) return;
    // The union is correlated by `type`, which TypeScript cannot follow through emit's generic.
    this.emitter.emit(message.type, message as never);
  }

  private onHelloOk(message: ServerMessageOf<'hello.ok'>): void {
    if (this.accepted) return;
    this.accepted = true;
    this.attempt = 0;
    if (message.heartbeatMs > 0) this.heartbeatMs = message.heartbeatMs;
    this.clearDeadline();
    this.startHeartbeat();
    this.setState('open', null);
    this.emitter.emit('hello', message);
    // The server keeps presence through a short grace period; only re-apply when it forgot.
    if (this.chosenPresence && message.presence !== this.chosenPresence) {
      this.sendPresence(this.chosenPresence);
    }
  }

  private sendPresence(presence: SelectablePresence): string | null {
    if (!this.accepted) return null;
    const id = `presence-${++this.seq}`;
    return this.sendRaw({ type: 'presence.set', presence, id }) ? id : null;
  }

  private sendRaw(message: ClientMessage): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch (err) {
      this.logger.warn('[veildesk] send failed', err);
      return false;
    }
  }

  // ---- heartbeat ----

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (!this.sendRaw({ type: 'ping', id: `ping-${++this.seq}` })) return;
      // One outstanding deadline at a time: it measures from the oldest unanswered ping.
      if (this.deadlineTimer === null) this.armDeadline(2 * this.heartbeatMs, 'no pong in time');
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private armDeadline(ms: number, why: string): void {
    this.clearDeadline();
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.declareDead(why);
    }, ms);
  }

  private clearDeadline(): void {
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  private clearTimers(): void {
    this.stopHeartbeat();
    this.clearDeadline();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ConnectionState, retryInMs: number | null): void {
    const last = this.lastEmitted;
    if (last && last.state === state && last.attempt === this.attempt && last.retryInMs === retryInMs) return;
    this.lastEmitted = { state, attempt: this.attempt, retryInMs };
    this.currentState = state;
    this.emitter.emit('state', this.lastEmitted);
  }
}
