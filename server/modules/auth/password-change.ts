import { routes } from '../../../shared/api/routes';
import type { Db } from '../../db/database';
import { DomainError } from '../../kernel/errors';
import type { StaffSession } from '../../kernel/routes';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { LoginRateLimiter } from './login-rate-limit';
import type { PasswordHasher } from './passwords';
import type { SessionStore } from './sessions';

/** What a user whose password an admin set may still call: change it, read who they are, sign out. */
export const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set([routes.changePassword, routes.me, routes.logout].map((r) => `${r.method} ${r.path}`));

export interface PasswordChangeDeps {
  db: Db;
  sessions: SessionStore;
  audit: AuditLog;
  passwords: PasswordHasher;
  limiter: LoginRateLimiter;
  now: () => Date;
  onSignedOut(userId: string, sessionId: string): void;
}

/**
 * A user changes their own password: the current one first (a wrong one counts against the
 * sign-in limit of that username and address), then the new hash, the forced-change flag cleared,
 * the user's other sessions ended and the audit entry, in one transaction.
 */
export class PasswordChange {
  constructor(private readonly deps: PasswordChangeDeps) {}

  async change(session: StaffSession, input: { currentPassword: string; newPassword: string }, address: string): Promise<{ ok: true; otherSessionsEnded: number }> {
    const { username, id: userId } = session.user;
    const { retryAfterMs } = await this.deps.limiter.check(username, address);
    if (retryAfterMs > 0) {
      const seconds = Math.ceil(retryAfterMs / 1000);
      throw new DomainError('rate_limited', `Too many wrong passwords. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
    if (input.currentPassword === input.newPassword) throw new DomainError('bad_request', 'Choose a new password that differs from the current one.');
    const finished = this.deps.limiter.begin(username, address);
    let ok: boolean;
    let stored: string | undefined;
    try {
      stored = (await this.deps.db.kysely.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst())?.password_hash;
      ok = stored !== undefined && (await this.deps.passwords.verify(input.currentPassword, stored));
      if (!ok) await this.deps.limiter.recordFailure(username, address);
    } finally {
      finished();
    }
    const actor = { id: userId, username };
    if (!ok || stored === undefined) {
      await this.deps.audit.append({ actor, action: AuditAction.passwordChangeFailed, target: username, details: { address } });
      throw new DomainError('forbidden', 'The current password is wrong.');
    }
    const hash = await this.deps.passwords.hash(input.newPassword);
    const ended = await this.deps.db.kysely.transaction().execute(async (trx) => {
      // Only if nobody changed it meanwhile (an admin's reset wins over a change in flight).
      const updated = await trx
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: 0, password_changed_at: this.deps.now().toISOString() })
        .where('id', '=', userId)
        .where('password_hash', '=', stored)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('conflict', 'Your password was changed meanwhile. Sign in again.');
      const others = await this.deps.sessions.revokeAllOf(trx, userId, session.sessionId);
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.passwordChanged, target: username, details: { userId, forced: session.mustChangePassword === true, sessionsEnded: others.length } });
      return others;
    });
    await this.deps.limiter.recordSuccess(username, address);
    this.deps.sessions.announce(ended, 'admin');
    for (const sessionId of ended) this.deps.onSignedOut(userId, sessionId);
    return { ok: true, otherSessionsEnded: ended.length };
  }
}
