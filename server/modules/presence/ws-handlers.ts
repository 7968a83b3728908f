import type { HandlerMap } from '../../ws/handlers';
import { DomainError } from '../../kernel/errors';

export const presenceHandlers: HandlerMap<'presence.set'> = {
  'presence.set': {
    roles: ['agent', 'supervisor'],
    async handle(message, { principal, services }) {
      if (!principal.user) throw new DomainError('forbidden', 'Only staff have a presence.');
      // The change reaches this connection through the presence listener as presence.self.
      await services.presence.choose(principal.user, message.presence);
    },
  },
};
