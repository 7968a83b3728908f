import type { RosterEntry } from '../../../shared/api/http';
import type { Connection } from '../../ws/connection';
import type { Hub } from '../../ws/hub';
import type { Principal } from '../../ws/principal';
import type { PresenceService } from './presence-service';

const WATCHERS = ['supervisor', 'admin'] as const;

/** Connects presence to the socket layer: pushes changes live and follows staff connections. */
export function wirePresence(presence: PresenceService, hub: Hub) {
  presence.onChange((entry) => {
    hub.sendTo(entry.userId, { type: 'presence.self', presence: entry.presence, since: entry.since });
    if (entry.role === 'agent') hub.sendToRoles(WATCHERS, { type: 'roster.changed', agent: entry });
  });
  return {
    /** A staff connection authenticated: counts it and returns the user's presence for hello.ok. */
    async connected(principal: Principal): Promise<RosterEntry | undefined> {
      return principal.user ? presence.connected(principal.user) : undefined;
    },
    /** After hello.ok: supervisors and admins get the whole roster. */
    sendInitialState(principal: Principal, connection: Connection): void {
      if (principal.role === 'supervisor' || principal.role === 'admin') connection.send({ type: 'roster.snapshot', agents: presence.roster() });
    },
    disconnected(principal: Principal, opts: { immediate: boolean }): void {
      if (principal.user) presence.disconnected(principal.user.id, opts);
    },
  };
}
