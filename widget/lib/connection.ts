import { PROTOCOL_VERSION } from '../../shared/version';
import { backoffDelay, WIDGET_BACKOFF, type BackoffOptions } from './backoff';
import type { ClientMessage, ServerMessage } from './types';

/**
 * The widget's socket to /ws: hello with the customer token first (never in the URL), then
 * frames both ways. Drops are retried with backoff (0.5 s doubling to 10 s) until the server
 * accepts again; close codes that mean "this token is done" stop it for good.
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

export type ConnectionPhase = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface FatalClose {
  code: number;
  kind: 'unauthenticated' | 'protocol-mismatch' | 'signed-out';
  /** The server's own words (from the error frame before the close), if any. */
  serverMessage: string | null;
}

export interface ConnectionCallbacks {
  onPhase(phase: ConnectionPhase, info: { attempt: number; retryInMs: number | null }): void;
  /** Every server frame, after hello.customer was accepted (hello.customer included). */
  onFrame(frame: ServerMessage, connectionId: number): void;
  onFatal(close: FatalClose): void;
}

export interface WidgetConnectionOptions extends ConnectionCallbacks {
  url: string;
  token: string;
  WebSocket?: WebSocketCtor;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Ping interval until the server announces its heartbeat in hello.customer. */
  defaultHeartbeatMs?: number;
  /** How long open + hello.customer may take before the attempt counts as failed. */
  connectTimeoutMs?: number;
}

const OPEN = 1;
/** Our close code for a socket we gave up on (4000–4999 are free for applications). */
const CLIENT_DEAD_CODE = 4000;
const FATAL: Record<number, FatalClose['kind']> = { 4401: 'unauthenticated', 4400: 'protocol-mismatch', 4409: 'signed-out' };

export class WidgetConnection {
  private socket: WebSocketLike | null = null;
  private stopped = true;
  private accepted = false;
  private attempt = 0;
  private connectionId = 0;
  private heartbeatMs: number;
  private lastServerError: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pingSeq = 0;
  private readonly WS: WebSocketCtor;

  constructor(private readonly options: WidgetConnectionOptions) {
    const ctor = options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!ctor) throw new Error('This browser cannot open WebSocket connections.');
    this.WS = ctor as WebSocketCtor;
    this.heartbeatMs = options.defaultHeartbeatMs ?? 15_000;
  }

  /** Id of the current accepted connection, or null while not accepted. Increases with every accept. */
  get currentConnectionId(): number | null {
    return this.accepted ? this.connectionId : null;
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.options.onPhase('connecting', { attempt: 0, retryInMs: null });
    this.open();
  }

  /** Skips the remaining backoff wait (the browser reports it is online again). */
  reconnectNow(): void {
    if (this.stopped || this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  /** Sends when accepted; false when the frame could not go out (the caller keeps it for later). */
  send(frame: ClientMessage): boolean {
    if (!this.accepted) return false;
    return this.sendRaw(frame);
  }

  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimers();
    this.drop(1000, 'widget closing');
    this.options.onPhase('closed', { attempt: this.attempt, retryInMs: null });
  }

  // ---- lifecycle ----

  private open(): void {
    this.clearTimers();
    this.accepted = false;
    this.lastServerError = null;
    let socket: WebSocketLike;
    try {
      socket = new this.WS(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.sendRaw({ type: 'hello', protocol: PROTOCOL_VERSION, token: this.options.token });
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onerror = () => undefined; // a close event follows; it decides
    socket.onclose = (event) => {
      if (this.socket === socket) this.closed(event.code);
    };
    this.armDeadline(this.options.connectTimeoutMs ?? 10_000);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || typeof (frame as { type?: unknown }).type !== 'string') return;
    const message = frame as ServerMessage;
    // Any frame proves the connection alive.
    if (this.accepted) this.armDeadline(2 * this.heartbeatMs + 1_000);
    if (message.type === 'hello.customer') {
      if (this.accepted) return;
      this.accepted = true;
      this.attempt = 0;
      this.connectionId += 1;
      if (typeof message.heartbeatMs === 'number' && message.heartbeatMs > 0) this.heartbeatMs = message.heartbeatMs;
      this.startPings();
      this.armDeadline(2 * this.heartbeatMs + 1_000);
      this.options.onPhase('open', { attempt: 0, retryInMs: null });
    } else if (message.type === 'error') {
      this.lastServerError = typeof message.message === 'string' ? message.message : null;
    } else if (message.type === 'pong') {
      return;
    }
    // Errors before acceptance are kept for the fatal report; after it they go to the widget.
    if (!this.accepted && message.type === 'error') return;
    if (this.accepted) this.options.onFrame(message, this.connectionId);
  }

  private closed(code: number): void {
    this.detach();
    this.socket = null;
    this.accepted = false;
    this.clearTimers();
    if (this.stopped) return;
    const kind = FATAL[code];
    if (kind) {
      this.stopped = true;
      this.options.onPhase('closed', { attempt: this.attempt, retryInMs: null });
      this.options.onFatal({ code, kind, serverMessage: this.lastServerError });
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.options.backoff ?? WIDGET_BACKOFF, this.options.random);
    this.attempt += 1;
    this.options.onPhase('reconnecting', { attempt: this.attempt, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private declareDead(): void {
    this.drop(CLIENT_DEAD_CODE, 'no answer in time');
    this.accepted = false;
    this.clearTimers();
    this.scheduleReconnect();
  }

  private drop(code: number, reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.detach();
    this.socket = null;
    try {
      socket.close(code, reason);
    } catch {
      // already closing
    }
  }

  private detach(): void {
    const s = this.socket;
    if (!s) return;
    s.onopen = null;
    s.onmessage = null;
    s.onerror = null;
    s.onclose = null;
  }

  private sendRaw(frame: ClientMessage): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    try {
      s.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private startPings(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.sendRaw({ type: 'ping', id: `p${++this.pingSeq}` }), this.heartbeatMs);
  }

  private armDeadline(ms: number): void {
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = null;
      this.declareDead();
    }, ms);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.deadlineTimer = null;
    this.pingTimer = null;
  }
}
