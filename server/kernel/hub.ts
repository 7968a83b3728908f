import type { ServerMessage } from '../../shared/api/ws';
import type { ActorRole, Principal } from './principal';

/** How modules push to connected clients without knowing about sockets. */
export interface Hub {
  /** To every connection of one principal id (a user with several windows gets it in each). */
  sendTo(principalId: string, message: ServerMessage): void;
  /** To every connection whose role is listed. */
  sendToRoles(roles: readonly ActorRole[], message: ServerMessage): void;
  /** Whether a principal has at least one authenticated connection. */
  isConnected(principalId: string): boolean;
  /** Closes every connection of one principal (e.g. a customer whose interaction ended). */
  disconnect(principalId: string, closeCode: number, reason: string): void;
  principals(): Principal[];
}
