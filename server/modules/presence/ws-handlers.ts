import { DomainError } from '../../kernel/errors';
import type { HandlerMap } from '../../kernel/ws-handlers';
import type { PresenceService } from './presence-service';

export function presenceHandlers(presence: PresenceService): HandlerMap<'presence.set'> {
  return {
    'presence.set': {
      roles: ['agent', 'supervisor'],
      async handle(message, { principal }) {
        if (!principal.user) throw new DomainError('forbidden', 'Only staff have a presence.');
        // The change reaches this connection through the presence listener as presence.self.
        await presence.choose(principal.user, message.presence);
      },
    },
  };
}
