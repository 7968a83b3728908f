import type { Connection } from '../../ws/connection';
import type { Principal } from '../../ws/principal';
import type { UsersRepo } from '../users/users-repo';
import { endpointOf } from './endpoint';
import type { ShareRegistry, StaffDirectory } from './share-registry';

/** The org's staff users (every role), from the users table. */
export function staffDirectory(users: Pick<UsersRepo, 'listByRole'>): StaffDirectory {
  return {
    async staff() {
      const lists = await Promise.all([users.listByRole('agent'), users.listByRole('supervisor'), users.listByRole('admin')]);
      return lists.flat().sort((a, b) => a.username.localeCompare(b.username));
    },
  };
}

/** Connects the share registry to the socket layer's lifecycle hooks. */
export function wireShares(shares: ShareRegistry) {
  return {
    /** After hello.ok: the shares this user may join, and their own share for a window that resumes. */
    connected(principal: Principal, connection: Connection): void {
      if (principal.user) shares.connected(principal.user, endpointOf(connection));
    },
    disconnected(principal: Principal, opts: { immediate: boolean }): void {
      if (principal.user) shares.disconnected(principal.user.id, opts);
    },
    signedOut(userId: string, sessionId: string): void {
      void shares.signedOut(userId, sessionId).catch(() => undefined);
    },
  };
}
