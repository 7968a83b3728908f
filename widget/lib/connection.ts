import { ReconnectingSocket, type ConnectionState, type WebSocketCtor } from '../../browser/net/reconnecting-socket';
import { type BackoffOptions } from '../../browser/net/backoff';
import { PROTOCOL_VERSION } from '../../shared/version';
import type { ClientMessage, ServerMessage } from './types';

export type { WebSocketCtor, WebSocketLike } from '../../browser/net/reconnecting-socket';

/**
 * The widget's socket to /ws on the shared socket core (browser/net/reconnecting-socket.ts): hello
 * with the customer token, pings, reconnect with backoff (0.5 s doubling to 10 s) until the server
 * accepts again; close codes that mean "this token is done" stop it for good. Frames are only
 * shape-checked here, not validated with the zod contracts, so the widget bundle carries no zod.
 */

export type ConnectionPhase = ConnectionState;

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
  /** Silence after which an accepted socket counts as dead (a link lost without a close frame). */
  deadLinkMs?: number;
}

/**
 * As in the agent app: a link that dies without a close frame is noticed within this much silence
 * (pings go every third of it), so the customer sees "reconnecting" in seconds, not after two heartbeats.
 */
export const WIDGET_DEAD_LINK_MS = 7_000;

const FATAL: Record<number, FatalClose['kind']> = { 4401: 'unauthenticated', 4400: 'protocol-mismatch', 4409: 'signed-out' };

function decode(text: string): ServerMessage | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null || typeof (frame as { type?: unknown }).type !== 'string') return null;
  return frame as ServerMessage;
}

export class WidgetConnection {
  private readonly socket: ReconnectingSocket<ServerMessage, ClientMessage, FatalClose['kind']>;

  constructor(options: WidgetConnectionOptions) {
    if (!options.WebSocket && !(globalThis as { WebSocket?: unknown }).WebSocket) throw new Error('This browser cannot open WebSocket connections.');
    this.socket = new ReconnectingSocket<ServerMessage, ClientMessage, FatalClose['kind']>({
      url: options.url,
      ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.random ? { random: options.random } : {}),
      defaultHeartbeatMs: options.defaultHeartbeatMs ?? 15_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      deadLinkMs: options.deadLinkMs ?? WIDGET_DEAD_LINK_MS,
      // Any frame proves the connection alive (a second to spare for a slow pong).
      liveness: { kind: 'any-frame', graceMs: 1_000 },
      fatalCodes: FATAL,
      hello: () => ({ type: 'hello', protocol: PROTOCOL_VERSION, token: options.token }),
      ping: (id) => ({ type: 'ping', id }),
      decode,
      acceptedHeartbeatMs: (frame) => (frame.type === 'hello.customer' ? (typeof frame.heartbeatMs === 'number' ? frame.heartbeatMs : 0) : null),
      errorText: (frame) => (frame.type === 'error' ? (typeof frame.message === 'string' ? frame.message : '') : null),
      onState: ({ state, attempt, retryInMs }) => {
        // The moment a scheduled retry starts is not news for the customer: the countdown stays up.
        if (state === 'reconnecting' && retryInMs === null) return;
        options.onPhase(state, { attempt, retryInMs });
      },
      onFrame: (frame) => {
        // Errors before acceptance are kept for the fatal report only; after it they go to the widget.
        const connectionId = this.socket.connectionId;
        if (connectionId !== null) options.onFrame(frame, connectionId);
      },
      onFatal: ({ kind, code, serverMessage }) => options.onFatal({ code, kind, serverMessage: serverMessage || null }),
    });
  }

  /** Id of the current accepted connection, or null while not accepted. Increases with every accept. */
  get currentConnectionId(): number | null {
    return this.socket.connectionId;
  }

  connect(): void {
    this.socket.connect();
  }

  /** The browser reports the network gone: drop the socket now and retry with backoff. */
  networkLost(): void {
    this.socket.networkLost();
  }

  /** Skips the remaining backoff wait (the browser reports it is online again). */
  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  /** Sends when accepted; false when the frame could not go out (the caller keeps it for later). */
  send(frame: ClientMessage): boolean {
    return this.socket.send(frame);
  }

  close(): void {
    this.socket.close();
  }
}

/** What the controller needs from its connection; tests may pass their own. */
export interface ConnectionLike {
  connect(): void;
  close(): void;
  reconnectNow(): void;
  networkLost(): void;
  send(frame: ClientMessage): boolean;
  readonly currentConnectionId: number | null;
}
