import type { WebSocket } from 'ws';
import type { ErrorCode } from '../../shared/api/errors';
import type { ServerMessage } from '../../shared/api/ws';
import type { ClientLink } from '../kernel/client-link';
import type { Principal } from '../kernel/principal';

/** One WebSocket and what the server knows about it. */
export class Connection implements ClientLink {
  principal: Principal | null = null;
  /** A hello is being checked; further hellos are refused. */
  helloPending = false;
  /** Set when a pong (or any frame) arrived since the last heartbeat ping. */
  alive = true;
  /** Closed by sign-out: presence ends at once instead of after the grace period. */
  closingForSignOut = false;

  constructor(
    readonly id: number,
    readonly socket: WebSocket,
    readonly address: string,
  ) {}

  isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: ServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.sendText(JSON.stringify(message));
  }

  /** A frame already serialised (once for every connection it goes to). */
  sendText(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.cork();
    this.socket.send(text);
  }

  private corked = false;

  /**
   * Holds this socket's writes until the current tick's work is done, then writes them in one
   * writev: a group commit delivers a whole batch at once, and an agent with several chats, or a
   * customer with several messages acknowledged, then costs one system call instead of one per frame.
   */
  private cork(): void {
    if (this.corked) return;
    // ws keeps its TCP socket in `_socket` (absent on a socket another node relays here).
    const raw = (this.socket as unknown as { _socket?: { cork?: () => void; uncork(): void } })._socket;
    if (typeof raw?.cork !== 'function') return;
    raw.cork();
    this.corked = true;
    process.nextTick(() => {
      this.corked = false;
      raw.uncork();
    });
  }

  /** Frames refused by the rate limits since the last one accepted (a client that ignores them is closed). */
  refusedInARow = 0;
  /** A digest of the token its hello carried (the flood penalty is keyed by it, checked before the token is looked up). */
  credentialKey = '';
  /** Frees this socket's slot in the per-address cap; called once when it closes. */
  releaseSlot: () => void = () => undefined;

  error(code: ErrorCode, message: string, ref?: string, extra: { retryAfterMs?: number } = {}): void {
    this.send({ type: 'error', code, message, ...(ref === undefined ? {} : { ref }), ...extra });
  }

  /** Sends a last error frame, then closes with a code that tells the client not to retry blindly. */
  refuse(closeCode: number, code: ErrorCode, message: string): void {
    this.error(code, message);
    this.socket.close(closeCode, message.slice(0, 120));
  }
}
