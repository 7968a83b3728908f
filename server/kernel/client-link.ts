import type { ServerMessage } from '../../shared/api/ws';
import type { Principal } from './principal';

/** One client's open connection as modules see it: who it is and how to send to it, not what socket carries it. */
export interface ClientLink {
  /** Set once the client said hello. */
  readonly principal: Principal | null;
  send(message: ServerMessage): void;
  isOpen(): boolean;
}
