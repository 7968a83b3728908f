import type { ClientMessage } from '../../shared/api/ws';
import type { Role } from '../../shared/domain/roles';
import type { AuthenticatedSession } from '../modules/auth/sessions';
import type { PresenceService } from '../modules/presence/presence-service';
import type { Connection } from './connection';

export interface HandlerContext {
  connection: Connection;
  session: AuthenticatedSession;
  presence: PresenceService;
}

type Authed = Exclude<ClientMessage, { type: 'hello' }>;
type Handler<T extends Authed['type']> = {
  roles: readonly Role[];
  handle(message: Extract<Authed, { type: T }>, ctx: HandlerContext): Promise<void> | void;
};

/**
 * Every message type a signed-in client may send, with the roles allowed to send it. The gateway
 * refuses a message whose type is missing here or whose sender's role is not listed.
 */
export const handlers: { [T in Authed['type']]: Handler<T> } = {
  ping: {
    roles: ['agent', 'supervisor', 'admin'],
    handle(message, { connection }) {
      connection.send(message.id === undefined ? { type: 'pong' } : { type: 'pong', id: message.id });
    },
  },
  'presence.set': {
    roles: ['agent', 'supervisor'],
    async handle(message, { session, presence }) {
      // The change reaches this connection through the presence listener as presence.self.
      await presence.choose(session.user, message.presence);
    },
  },
};
