import { type Presence, type Role } from '../../../shared';

export const PRESENCE_LABELS: Record<Presence, string> = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
};

/** Order of the select's options; offline last because it is a state, not a choice. */
export const PRESENCE_OPTIONS: readonly Presence[] = ['available', 'busy', 'away', 'offline'];

export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent',
  supervisor: 'Supervisor',
  admin: 'Admin',
  privacy: 'Privacy officer',
};
