import { type WebSocketLike } from '../../../browser/net/reconnecting-socket';

/**
 * In-memory stand-in for the browser WebSocket; tests play the server through it. Each app's tests
 * record the client's close in their own shape (see FakeWebSocket below and the widget's FakeSocket).
 */
export abstract class FakeWebSocketBase implements WebSocketLike {
  static instances: FakeWebSocketBase[] = [];

  static reset(): void {
    FakeWebSocketBase.instances = [];
  }

  /** The socket the client opened last, typed as the fake class it is called on. */
  static latest<T>(this: { prototype: T }): T {
    const socket = FakeWebSocketBase.instances.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket as T;
  }

  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: string[] = [];

  constructor(readonly url: string) {
    FakeWebSocketBase.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.recordClose(code, reason);
    this.readyState = 3;
  }

  protected abstract recordClose(code: number | undefined, reason: string | undefined): void;

  // ---- server side ----

  /** Frames the client sent, parsed. */
  get frames(): Array<Record<string, unknown>> {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }

  framesOfType(type: string): Array<Record<string, unknown>> {
    return this.frames.filter((f) => f.type === type);
  }

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  serverSend(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  serverClose(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** The agent app's fake: records the close as { code, reason }. */
export class FakeWebSocket extends FakeWebSocketBase {
  declare static instances: FakeWebSocket[];
  closedByClient: { code: number | undefined; reason: string | undefined } | null = null;

  protected recordClose(code: number | undefined, reason: string | undefined): void {
    this.closedByClient = { code, reason };
  }
}
