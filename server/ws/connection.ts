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
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  error(code: ErrorCode, message: string, ref?: string): void {
    this.send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  /** Sends a last error frame, then closes with a code that tells the client not to retry blindly. */
  refuse(closeCode: number, code: ErrorCode, message: string): void {
    this.error(code, message);
    this.socket.close(closeCode, message.slice(0, 120));
  }
}
