import type { ServerModule } from '../../kernel/module';
import type { UsersRepo } from '../users/users-repo';
import { endpointOf } from './endpoint';
import type { ShareRegistry } from './share-registry';
import type { StaffDirectory } from './share-types';
import { shareHandlers } from './ws-handlers';

/** The org's staff users (every role), from the users table. */
export function staffDirectory(users: Pick<UsersRepo, 'listByRole'>): StaffDirectory {
  return {
    async staff() {
      const lists = await Promise.all([users.listByRole('agent'), users.listByRole('supervisor'), users.listByRole('admin')]);
      return lists.flat().sort((a, b) => a.username.localeCompare(b.username));
    },
  };
}

/** Screen shares: the share.* messages and the registry following staff connections and sign-outs. */
export function sharesModule(shares: ShareRegistry): ServerModule {
  return {
    name: 'shares',
    wsHandlers: shareHandlers(shares),
    /** After hello.ok: the shares this user may join, and their own share for a window that resumes. */
    connected(principal, connection) {
      if (principal.user) shares.connected(principal.user, endpointOf(connection));
    },
    disconnected(principal, opts) {
      if (principal.user) shares.disconnected(principal.user.id, opts);
    },
    signedOut(userId, sessionId) {
      void shares.signedOut(userId, sessionId).catch(() => undefined);
    },
    stop() {
      shares.dispose();
    },
  };
}
