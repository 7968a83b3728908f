import { type Role } from '../../../shared';

/**
 * Roles that work interactions: they open the live connection (queues, chats, presence), the local
 * cache with its sync, and the recorder's upload queue. The `privacy` role only answers privacy
 * requests over HTTP, so its app holds no interaction data at all.
 */
export function roleHasWorkspace(role: Role): boolean {
  return role !== 'privacy';
}
