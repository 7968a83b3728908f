import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, User } from '../../shared/domain/roles';
import { DomainError } from '../kernel/errors';
import type { RouteContext, RouteGuard } from '../kernel/routes';
import { PASSWORD_CHANGE_ROUTES } from '../modules/auth/password-change';
import type { SessionStore } from '../modules/auth/sessions';

/** Reads `Authorization: Bearer <token>`; the token never travels in a URL where logs would keep it. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

/** After the role check: throws a DomainError to refuse a signed-in user on this route (e.g. the privacy notice gate). */
export type StaffAdmission = (request: FastifyRequest, user: User) => Promise<void>;

/**
 * Route guard: every protected route names the roles it allows. 401 when the token is missing,
 * expired, revoked or forged; 403 when the role is not allowed (or `admit` refuses).
 */
export function requireRole(sessions: SessionStore, roles: readonly Role[], admit?: StaffAdmission): RouteGuard {
  return async (request) => {
    const token = bearerToken(request);
    if (!token) throw new DomainError('unauthenticated', 'Sign in first: send Authorization: Bearer <token>.');
    const session = await sessions.authenticate(token);
    if (!session) throw new DomainError('unauthenticated', 'Your session has expired or was signed out. Sign in again.');
    if (!roles.includes(session.user.role)) {
      throw new DomainError('forbidden', `This needs the role ${roles.join(' or ')}; you are signed in as ${session.user.role}.`);
    }
    if (session.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${request.method} ${request.routeOptions.url}`)) {
      throw new DomainError('password_change_required', 'An admin set your password: change it first (POST /api/auth/password), then continue.');
    }
    await admit?.(request, session.user);
    request.session = session;
  };
}

/** What modules' routes() get: this app, guarded by staff sessions. */
export function routeContext(app: FastifyInstance, sessions: SessionStore, admit?: StaffAdmission): RouteContext {
  return { app, guard: (roles) => requireRole(sessions, roles, admit) };
}
