import type { ServerModule } from '../../kernel/module';
import { DomainError } from '../../kernel/errors';
import { registerAuthRoutes, type AuthDeps } from './routes';

/**
 * Sign-in, sign-out, /api/me, passwords and admins' user changes. Its `admit` refuses a staff
 * WebSocket hello while an admin-set password waits to be changed (close 4411).
 */
export function authModule(deps: AuthDeps): ServerModule {
  return {
    name: 'auth',
    routes: (ctx) => registerAuthRoutes(ctx, deps),
    admit: async (principal) => {
      if (!principal.user) return;
      const row = await deps.users.findById(principal.user.id);
      if (row && Number(row.must_change_password) !== 0) {
        throw new DomainError('password_change_required', 'An admin set your password: change it in the app first, then connect again.');
      }
    },
  };
}
