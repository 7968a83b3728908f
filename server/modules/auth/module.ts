import type { ServerModule } from '../../kernel/module';
import { registerAuthRoutes, type AuthDeps } from './routes';

/** Sign-in, sign-out and /api/me; what a sign-out means for other modules comes in as onSignedOut. */
export function authModule(deps: AuthDeps): ServerModule {
  return { name: 'auth', routes: (ctx) => registerAuthRoutes(ctx, deps) };
}
