import { endpoints } from '../../../shared/api/endpoints';
import type { LoginResponse } from '../../../shared/api/http';
import { DomainError } from '../../kernel/errors';
import { SIGNED_IN_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import { toUser, type UsersRepo } from '../users/users-repo';
import type { LoginRateLimiter } from './login-rate-limit';
import type { PasswordHasher } from './passwords';
import type { SessionStore } from './sessions';
import type { PasswordChange } from './password-change';
import type { UserAdmin } from './user-admin';
import type { FastifyRequest } from 'fastify';

export interface AuthDeps {
  users: UsersRepo;
  sessions: SessionStore;
  audit: AuditLog;
  limiter: LoginRateLimiter;
  /** scrypt with a bound on hashes at once (busy: 503 with Retry-After). */
  passwords: PasswordHasher;
  log?: { warn(obj: object, msg: string): void };
  /** Called after a session is revoked, e.g. to turn the user offline at once. */
  onSignedOut(userId: string, sessionId: string): void;
  /** Admins' changes to staff accounts (create, role, disabled, queues, password reset, sessions). */
  userAdmin: UserAdmin;
  /** A user's change of their own password. */
  passwordChange: PasswordChange;
}

export function registerAuthRoutes({ app, guard }: RouteContext, deps: AuthDeps): void {
  declareRoute(app, endpoints.login, { input: 'sign-in request' }, async ({ body, request, reply }) => {
    const address = request.ip;
    // Begun before the counts are read, so a parallel attempt counts this one while it is checked.
    const finished = deps.limiter.begin(body.username, address);
    const { retryAfterMs: retryMs, reason } = await deps.limiter.check(body.username, address, { own: true }).catch((err: unknown) => {
      finished();
      throw err;
    });
    if (retryMs > 0) {
      finished();
      const seconds = Math.ceil(retryMs / 1000);
      await deps.audit.append({ actor: null, action: AuditAction.loginRateLimited, target: body.username, details: { address, reason } });
      const advice = reason === 'username_delay' ? 'This account has had many failed sign-ins' : 'Too many failed sign-ins from here';
      throw new DomainError('rate_limited', `${advice}. Try again in ${seconds} s, or ask an admin to check the account.`, { retryAfterSeconds: seconds });
    }
    let row: Awaited<ReturnType<UsersRepo['findByUsername']>>;
    let ok: boolean;
    try {
      row = await deps.users.findByUsername(body.username);
      ok = await deps.passwords.verify(body.password, row?.password_hash ?? (await deps.passwords.decoyHash()));
      if (!row || !ok) await deps.limiter.recordFailure(body.username, address);
    } finally {
      finished();
    }
    if (!row || !ok) {
      await deps.audit.append({
        actor: null,
        action: AuditAction.loginFailed,
        target: body.username,
        details: { address, reason: row ? 'wrong_password' : 'unknown_user' },
      });
      throw new DomainError('unauthenticated', 'Wrong username or password.');
    }
    await deps.limiter.recordSuccess(body.username, address);
    if (deps.passwords.needsRehash(row.password_hash)) await rehash(deps, row.id, row.password_hash, body.password);
    const user = toUser(row);
    const session = await deps.sessions.create(user);
    await deps.audit.append({ actor: { id: user.id, username: user.username }, action: AuditAction.login, target: user.username, details: { address, sessionId: session.sessionId } });
    const response: LoginResponse = { token: session.token, user, expiresAt: session.expiresAt.toISOString(), mustChangePassword: Number(row.must_change_password) !== 0 };
    return reply.status(200).send(response);
  });

  const anyone = guard(SIGNED_IN_ROLES);

  declareRoute(app, endpoints.logout, { preHandler: anyone }, async ({ request }) => {
    const session = request.session!;
    await deps.sessions.revoke(session.sessionId);
    await deps.audit.append({ actor: { id: session.user.id, username: session.user.username }, action: AuditAction.logout, target: session.user.username, details: { sessionId: session.sessionId } });
    deps.onSignedOut(session.user.id, session.sessionId);
    return { ok: true as const };
  });

  declareRoute(app, endpoints.me, { preHandler: anyone }, async ({ request }) => {
    const session = request.session!;
    return { user: session.user, expiresAt: session.expiresAt.toISOString(), mustChangePassword: session.mustChangePassword === true };
  });

  const admin = guard(['admin']);
  const actorOf = (request: FastifyRequest) => ({ id: request.session!.user.id, username: request.session!.user.username });
  declareRoute(app, endpoints.adminUsers, { preHandler: admin }, async () => ({ users: await deps.userAdmin.list() }));
  declareRoute(app, endpoints.updateUser, { preHandler: admin, input: 'user change' }, async ({ params, body, request }) => deps.userAdmin.update(params.id, body, actorOf(request)));
  declareRoute(app, endpoints.revokeUserSessions, { preHandler: admin }, async ({ params, request }) => deps.userAdmin.revokeSessions(params.id, actorOf(request)));
  declareRoute(app, endpoints.createUser, { preHandler: admin, input: 'new user' }, async ({ body, request }) => deps.userAdmin.create(body, actorOf(request)));
  declareRoute(app, endpoints.resetUserPassword, { preHandler: admin, input: 'password reset' }, async ({ params, body, request }) => deps.userAdmin.resetPassword(params.id, body.password, actorOf(request)));
  // Any signed-in user, also one who must change an admin-set password (PASSWORD_CHANGE_ROUTES).
  declareRoute(app, endpoints.changePassword, { preHandler: anyone, input: 'password change' }, async ({ body, request }) => deps.passwordChange.change(request.session!, body, request.ip));
}

/** A hash made with older parameters is replaced by one at today's cost, now that the password is known. Best effort: it is tried again at the next sign-in. */
async function rehash(deps: AuthDeps, userId: string, previous: string, password: string): Promise<void> {
  try {
    await deps.users.replacePasswordHash(userId, previous, await deps.passwords.hash(password));
  } catch (err) {
    deps.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'sign-in: could not rehash a password with the current parameters');
  }
}
