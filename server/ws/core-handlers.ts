import type { HandlerMap } from './handlers';

export const coreHandlers: HandlerMap<'ping'> = {
  ping: {
    roles: ['agent', 'supervisor', 'admin', 'customer'],
    handle(message, { connection }) {
      connection.send(message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
    },
  },
};
