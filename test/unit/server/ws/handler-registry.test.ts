import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES } from '../../../../shared/api/ws';
import type { WsHandlers } from '../../../../server/kernel/ws-handlers';
import { handlerRegistry } from '../../../../server/ws/handler-registry';

const noop = { roles: ['agent'] as const, handle: () => undefined };

/** One handler for each of these message types. */
function handlersFor(types: readonly string[]): WsHandlers {
  return Object.fromEntries(types.map((type) => [type, noop])) as WsHandlers;
}

const AUTHED_TYPES = CLIENT_MESSAGE_TYPES.filter((type) => type !== 'hello');

describe('the WebSocket handler registry', () => {
  it('takes the modules’ handlers when every message type but hello has one', () => {
    const half = Math.floor(AUTHED_TYPES.length / 2);
    const registry = handlerRegistry([handlersFor(AUTHED_TYPES.slice(0, half)), undefined, handlersFor(AUTHED_TYPES.slice(half))]);
    expect(Object.keys(registry).sort()).toEqual([...AUTHED_TYPES].sort());
  });

  it('refuses to start when a message type has no handler, naming it', () => {
    expect(() => handlerRegistry([handlersFor(AUTHED_TYPES.filter((type) => type !== 'ping'))])).toThrow(/No WebSocket handler for ping\b/);
  });

  it('refuses two handlers for one message type', () => {
    expect(() => handlerRegistry([handlersFor(AUTHED_TYPES), handlersFor(['ping'])])).toThrow(/Two WebSocket handlers for ping/);
  });
});
