import { type BackoffOptions, DEFAULT_BACKOFF, backoffDelay } from './backoff';

/**
 * The socket core both browser apps share: one WebSocket to /ws that sends a hello first (the
 * token goes in that frame, never in the URL where proxies and logs could keep it), pings on the
 * server's heartbeat, gives up on a socket that stops answering, and reconnects with backoff until
 * the server accepts again. Close codes listed as fatal stop it for good. What the frames mean is
 * left to the app's own layer (renderer/net/ws-client.ts, widget/lib/connection.ts).
 */

/** The part of the browser WebSocket used here, so tests can pass a fake. */
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

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SocketStateChange {
  state: ConnectionState;
  /** Consecutive failed attempts since the last accepted hello. */
  attempt: number;
  /** Delay before the next attempt while reconnecting, else null. */
  retryInMs: number | null;
}

/** How a socket proves it is alive once accepted. */
export type Liveness =
  /** Every ping must be answered by a pong within 2 × heartbeat (measured from the oldest unanswered ping). */
  | { kind: 'pong' }
  /** Any frame counts; silence longer than 2 × heartbeat + graceMs is death. */
  | { kind: 'any-frame'; graceMs: number };

/**
 * Close codes of a server that is restarting or handing its work to another node (1012 service
 * restart, 1013 try again later): the app retries at the first backoff step instead of doubling.
 */
export const SERVER_MOVING_CODES: ReadonlySet<number> = new Set([1012, 1013]);
/** Bounds the fast retries, so a cluster down for long is not hammered: past these, the usual doubling. */
export const MOVING_FAST_RETRIES = 20;

export interface SocketFrame {
  type: string;
}

export interface ReconnectingSocketOptions<In extends SocketFrame, Out, Fatal extends string> {
  url: string;
  /** Injectable socket constructor; defaults to the global WebSocket. */
  WebSocket?: WebSocketCtor;
  backoff?: Partial<BackoffOptions>;
  random?: () => number;
  /** Heartbeat used until the server announces its own on acceptance. */
  defaultHeartbeatMs: number;
  /** How long a new socket may take to be accepted (open + acceptance) before it counts as dead. */
  connectTimeoutMs: number;
  liveness: Liveness;
  /**
   * A link can die without a close frame (a black-holed network): the socket stays "open" and
   * nothing arrives. When set, pings go out at least every third of this, and an accepted socket
   * that hears nothing at all (pongs included) for this long counts as dead, whatever the server's
   * heartbeat. Bounds how long the app can show a dead link as connected.
   */
  deadLinkMs?: number;
  /** Close codes that forbid reconnecting, with the app's name for each. */
  fatalCodes: Partial<Record<number, Fatal>>;
  logger?: Pick<Console, 'warn' | 'info'>;
  /** The first frame on every socket. */
  hello(): Out;
  ping(id: string): Out;
  /** A text frame as a message, or null to skip it (unknown or malformed must not kill a session). */
  decode(text: string): In | null;
  /** For the server's acceptance of the hello: its heartbeat (0 keeps ours). Null for any other frame. */
  acceptedHeartbeatMs(frame: In): number | null;
  /** For an error frame: its text, kept to explain a fatal close that follows. Null for any other frame. */
  errorText(frame: In): string | null;
  onState(change: SocketStateChange): void;
  /** Every frame but pongs and repeated acceptances; the acceptance itself comes after the 'open' state. */
  onFrame(frame: In): void;
  onFatal(fatal: { kind: Fatal; code: number; reason: string; serverMessage: string | null }): void;
}

/** WebSocket.OPEN; spelled out so the core does not need a global WebSocket to exist. */
const OPEN = 1;
/** Close code we use for a socket we gave up on (4000–4999 are free for applications). */
const CLIENT_DEAD_CODE = 4000;
const SILENT: Pick<Console, 'warn' | 'info'> = { warn: () => undefined, info: () => undefined };

export class ReconnectingSocket<In extends SocketFrame, Out, Fatal extends string> {
  private readonly WebSocketImpl: WebSocketCtor;
  private readonly backoff: BackoffOptions;
  private readonly logger: Pick<Console, 'warn' | 'info'>;
  private socket: WebSocketLike | null = null;
  private currentState: ConnectionState = 'closed';
  private lastEmitted: SocketStateChange | null = null;
  private stopped = true;
  private isAccepted = false;
  private attempt = 0;
  /** Fast retries spent on "server moving" closes since the last accepted socket. */
  private movingRetries = 0;
  private acceptedCount = 0;
  private heartbeatMs: number;
  private lastServerError: string | null = null;
  private pingSeq = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: ReconnectingSocketOptions<In, Out, Fatal>) {
    const ctor = options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!ctor) throw new Error('No WebSocket implementation available');
    this.WebSocketImpl = ctor as WebSocketCtor;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.logger = options.logger ?? SILENT;
    this.heartbeatMs = options.defaultHeartbeatMs;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** True while the current socket's hello is accepted. */
  get accepted(): boolean {
    return this.isAccepted;
  }

  /** Number of the current accepted socket (1, 2, … one per acceptance), or null while not accepted. */
  get connectionId(): number | null {
    return this.isAccepted ? this.acceptedCount : null;
  }

  /** Starts connecting; calling it again while active does nothing. */
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.setState('connecting', null);
    this.openSocket();
  }

  /** Closes for good: no reconnect, no further frames. */
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
   * The computer woke from sleep or changed network: a socket that looks open may be dead without
   * a close (its TCP link died with the old address), and one waiting out the backoff would make
   * the first offer after waking wait too. Open a new socket now either way.
   */
  freshStart(why: string): void {
    if (this.stopped || this.currentState === 'closed') return;
    if (this.currentState !== 'reconnecting') this.declareDead(why);
    this.reconnectNow();
  }

  /**
   * The browser reports the network gone (the `offline` event): drop the socket now instead of
   * waiting for the heartbeat to notice, and retry with backoff (reconnectNow on `online`).
   */
  networkLost(): void {
    if (this.stopped || this.currentState === 'reconnecting') return;
    this.declareDead('the browser went offline');
  }

  /** Sends on the accepted session; false when it is not open (callers keep their own outbox). */
  send(frame: Out): boolean {
    return this.isAccepted && this.sendRaw(frame);
  }

  // ---- socket lifecycle ----

  private openSocket(): void {
    this.clearTimers();
    this.isAccepted = false;
    this.lastServerError = null;
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
      if (this.socket === socket) this.sendRaw(this.options.hello());
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    // A close event always follows an error; reconnecting is decided there.
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      if (this.socket === socket) this.handleClose(event.code, event.reason);
    };
    // Covers a connect that hangs (black-holed network) or a server that never accepts.
    this.armDeadline(this.options.connectTimeoutMs, 'not accepted in time');
  }

  private handleClose(code: number, reason: string): void {
    this.detach();
    this.socket = null;
    this.isAccepted = false;
    this.clearTimers();
    const kind = this.options.fatalCodes[code];
    if (kind) {
      this.stopped = true;
      this.setState('closed', null);
      this.options.onFatal({ kind, code, reason, serverMessage: this.lastServerError });
      return;
    }
    if (this.stopped) return;
    this.logger.info(`[veildesk] connection closed (${code}${reason ? `: ${reason}` : ''}); reconnecting`);
    this.scheduleReconnect(SERVER_MOVING_CODES.has(code));
  }

  private scheduleReconnect(serverMoving = false): void {
    if (this.stopped) return;
    // A cluster moving its work to another node says so (1012, 1013) and is back within seconds:
    // retrying at the first step, not doubling, brings the app back as soon as it is.
    const fast = serverMoving && this.movingRetries < MOVING_FAST_RETRIES;
    const delay = backoffDelay(fast ? 0 : this.attempt, this.backoff, this.options.random);
    if (fast) this.movingRetries += 1;
    else this.attempt += 1;
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
    this.isAccepted = false;
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

  private receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.logger.warn('[veildesk] ignored a non-text frame');
      return;
    }
    const frame = this.options.decode(data);
    if (!frame) return;
    const { liveness } = this.options;
    if (this.isAccepted) this.armSilence();
    if (liveness.kind === 'any-frame' && this.isAccepted) this.armDeadline(2 * this.heartbeatMs + liveness.graceMs, 'silent too long');
    if (frame.type === 'pong') {
      if (liveness.kind === 'pong') this.clearDeadline();
      return;
    }
    const heartbeatMs = this.options.acceptedHeartbeatMs(frame);
    if (heartbeatMs !== null) {
      if (this.isAccepted) return;
      this.accept(heartbeatMs);
    }
    const errorText = this.options.errorText(frame);
    if (errorText !== null) this.lastServerError = errorText;
    this.options.onFrame(frame);
  }

  private accept(heartbeatMs: number): void {
    this.isAccepted = true;
    this.acceptedCount += 1;
    this.attempt = 0;
    this.movingRetries = 0;
    if (heartbeatMs > 0) this.heartbeatMs = heartbeatMs;
    this.clearDeadline();
    this.startHeartbeat();
    this.armSilence();
    const { liveness } = this.options;
    if (liveness.kind === 'any-frame') this.armDeadline(2 * this.heartbeatMs + liveness.graceMs, 'silent too long');
    this.setState('open', null);
  }

  private sendRaw(frame: Out): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
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
      if (!this.sendRaw(this.options.ping(`ping-${++this.pingSeq}`))) return;
      // One outstanding deadline at a time: it measures from the oldest unanswered ping.
      if (this.options.liveness.kind === 'pong' && this.deadlineTimer === null) this.armDeadline(2 * this.heartbeatMs, 'no pong in time');
    }, this.pingEveryMs());
  }

  /** The server's heartbeat, or faster when a dead link must be noticed sooner. */
  private pingEveryMs(): number {
    const { deadLinkMs } = this.options;
    return deadLinkMs === undefined ? this.heartbeatMs : Math.min(this.heartbeatMs, Math.max(1, Math.floor(deadLinkMs / 3)));
  }

  private armSilence(): void {
    const { deadLinkMs } = this.options;
    if (deadLinkMs === undefined) return;
    this.clearSilence();
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = null;
      this.declareDead(`nothing heard for ${deadLinkMs} ms`);
    }, deadLinkMs);
  }

  private clearSilence(): void {
    if (this.silenceTimer !== null) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
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
    this.clearSilence();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ConnectionState, retryInMs: number | null): void {
    const last = this.lastEmitted;
    if (last && last.state === state && last.attempt === this.attempt && last.retryInMs === retryInMs) return;
    this.lastEmitted = { state, attempt: this.attempt, retryInMs };
    this.currentState = state;
    this.options.onState(this.lastEmitted);
  }
}
