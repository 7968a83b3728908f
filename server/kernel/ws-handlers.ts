import type { ClientMessage } from '../../shared/api/ws';
import type { ClientLink } from './client-link';
import type { ActorRole, Principal } from './principal';

/** Every client message but hello, which the gateway itself answers. */
export type AuthedMessage = Exclude<ClientMessage, { type: 'hello' }>;
export type AuthedMessageType = AuthedMessage['type'];

/** What a message handler gets besides the message: the sender's connection and who they are. */
export interface HandlerContext {
  connection: ClientLink;
  principal: Principal;
}

export interface WsHandler<T extends AuthedMessageType> {
  /** Roles that may send this message; anyone else gets a `forbidden` error frame. */
  roles: readonly ActorRole[];
  handle(message: Extract<AuthedMessage, { type: T }>, ctx: HandlerContext): Promise<void> | void;
}

/** A module's handlers for the message types it owns; a refusal is thrown as a DomainError. */
export type HandlerMap<K extends AuthedMessageType> = { [T in K]: WsHandler<T> };

/** Handlers for some message types, as a module contributes them; the gateway checks every type has one. */
export type WsHandlers = { [T in AuthedMessageType]?: WsHandler<T> };
