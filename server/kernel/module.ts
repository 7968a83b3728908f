import type { ClientLink } from './client-link';
import type { Hub } from './hub';
import type { Principal, PrincipalResolver } from './principal';
import type { RouteContext } from './routes';
import type { WsHandlers } from './ws-handlers';

/**
 * The one shape every backend module shows the server: app.ts builds the modules, then registers
 * their routes, hands them to the WebSocket gateway and starts and stops them in a loop. Every
 * member is optional; a module fills in what it has.
 */
export interface ServerModule {
  readonly name: string;
  /** Adds the module's HTTP routes. */
  routes?(ctx: RouteContext): void;
  /** The client messages this module answers, each with the roles allowed to send it. */
  readonly wsHandlers?: WsHandlers;
  /** Credentials besides staff sessions that this module turns into principals (e.g. customer tokens). */
  readonly principalResolvers?: readonly PrincipalResolver[];
  /**
   * Before a hello is answered: throws a DomainError to refuse the principal (e.g. staff who have not
   * accepted the current material privacy notice); the gateway closes the socket with its code.
   */
  admit?(principal: Principal): Promise<void>;
  /** After hello, in module order: sends the newcomer what it needs to start. */
  connected?(principal: Principal, connection: ClientLink): Promise<void> | void;
  /** A principal's connection closed (`immediate` after sign-out: no grace period). */
  disconnected?(principal: Principal, opts: { immediate: boolean }): void;
  /** A staff session signed out over HTTP; covers a client that closed its socket first. */
  signedOut?(userId: string, sessionId: string): void;
  /** Once routes and gateway are in place, in module order; the hub reaches connected clients. */
  start?(hub: Hub): Promise<void> | void;
  /** Server shutdown, in reverse module order. */
  stop?(): Promise<void> | void;
}
