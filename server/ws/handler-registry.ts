import { CLIENT_MESSAGE_TYPES } from '../../shared/api/ws';
import type { AuthedMessageType, WsHandler, WsHandlers } from '../kernel/ws-handlers';

/** Every message a connected client may send, with its one handler. */
export type HandlerRegistry = { [T in AuthedMessageType]: WsHandler<T> };

/**
 * Puts the modules' handlers together. A client message type (besides hello) without a handler, or
 * with two, is a wiring mistake: the server refuses to start and names it.
 */
export function handlerRegistry(contributions: readonly (WsHandlers | undefined)[]): HandlerRegistry {
  const merged: Record<string, unknown> = {};
  for (const handlers of contributions) {
    for (const [type, handler] of Object.entries(handlers ?? {})) {
      if (type in merged) throw new Error(`Two WebSocket handlers for ${type}; each message type belongs to one module.`);
      merged[type] = handler;
    }
  }
  const missing = CLIENT_MESSAGE_TYPES.filter((type) => type !== 'hello' && !(type in merged));
  if (missing.length > 0) throw new Error(`No WebSocket handler for ${missing.join(', ')}; add it to its module's wsHandlers.`);
  return merged as HandlerRegistry;
}
