import { PROTOCOL_VERSION } from '../../../shared/version';
import type { Hub } from '../../kernel/hub';
import type { ServerModule } from '../../kernel/module';
import type { PresenceService } from './presence-service';
import { presenceHandlers } from './ws-handlers';

const WATCHERS = ['supervisor', 'admin'] as const;

/**
 * Presence on the socket layer: pushes changes live, follows staff connections, and answers a staff
 * hello with hello.ok (it carries the user's presence, so it waits for the connection to count).
 */
export function presenceModule(presence: PresenceService, hello: { serverVersion: string; heartbeatMs: number }): ServerModule {
  return {
    name: 'presence',
    wsHandlers: presenceHandlers(presence),
    start(hub: Hub) {
      presence.onChange((entry) => {
        hub.sendTo(entry.userId, { type: 'presence.self', presence: entry.presence, since: entry.since });
        if (entry.role === 'agent') hub.sendToRoles(WATCHERS, { type: 'roster.changed', agent: entry });
      });
    },
    async connected(principal, connection) {
      if (!principal.user) return;
      const own = await presence.connected(principal.user);
      connection.send({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: hello.serverVersion, heartbeatMs: hello.heartbeatMs, user: principal.user, presence: own.presence });
      // Supervisors and admins get the whole roster.
      if (principal.role === 'supervisor' || principal.role === 'admin') connection.send({ type: 'roster.snapshot', agents: presence.roster() });
    },
    disconnected(principal, opts) {
      if (principal.user) presence.disconnected(principal.user.id, opts);
    },
    signedOut(userId) {
      presence.signedOut(userId);
    },
    stop() {
      presence.stop();
    },
  };
}
