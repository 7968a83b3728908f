import type { HandlerMap } from '../kernel/ws-handlers';

/** The gateway's own messages: ping keeps proxies from closing an idle connection. */
export const coreHandlers: HandlerMap<'ping'> = {
  ping: {
    roles: ['agent', 'supervisor', 'admin', 'privacy', 'customer'],
    handle(message, { connection }) {
      connection.send(message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
    },
  },
};
