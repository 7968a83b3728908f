import type { AdminUser, UpdateUserRequest } from '../../../shared/api/users';
import type { Db } from '../../db/database';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { SessionStore } from './sessions';

export interface UserAdminDeps {
  db: Db;
  sessions: SessionStore;
  audit: AuditLog;
  /** A session ended: other modules drop the user's presence at once. */
  onSignedOut(userId: string, sessionId: string): void;
}

type UserRow = { id: string; username: string; display_name: string; role: AdminUser['role']; disabled: number };

const toAdminUser = (row: UserRow): AdminUser => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role, disabled: row.disabled !== 0 });

/**
 * Admins change staff accounts: role, disabled, sessions. Each change, the sessions it ends and its
 * audit entry are one transaction; after the commit the user's open connections close (4410).
 */
export class UserAdmin {
  constructor(private readonly deps: UserAdminDeps) {}

  async list(): Promise<AdminUser[]> {
    const rows = await this.deps.db.kysely.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'disabled']).orderBy('username').execute();
    return rows.map(toAdminUser);
  }

  async update(userId: string, change: UpdateUserRequest, actor: AuditActor): Promise<AdminUser> {
    if (userId === actor.id) throw new DomainError('conflict', 'You cannot change your own role or disable yourself. Ask another admin.');
    const { user, ended } = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'disabled']).where('id', '=', userId).executeTakeFirst();
      if (!before) throw notFound(userId);
      const role = change.role ?? before.role;
      const disabled = change.disabled === undefined ? before.disabled !== 0 : change.disabled;
      const roleChanged = role !== before.role;
      const disabledChanged = disabled !== (before.disabled !== 0);
      if (!roleChanged && !disabledChanged) return { user: toAdminUser(before), ended: [] as string[] };
      await trx.updateTable('users').set({ role, disabled: disabled ? 1 : 0 }).where('id', '=', userId).execute();
      if (before.role === 'admin' && (role !== 'admin' || disabled)) {
        const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
        if (admins.length === 0) throw new DomainError('conflict', `${before.username} is the last active admin; make another user admin first.`);
      }
      // A new role or a disabled account: what the user's sessions were allowed no longer holds.
      const ended = await this.deps.sessions.revokeAllOf(trx, userId);
      const target = before.username;
      if (roleChanged) await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userRoleChanged, target, details: { userId, before: before.role, after: role, sessionsEnded: ended.length } });
      if (disabledChanged) await this.deps.audit.appendIn(trx, { actor, action: disabled ? AuditAction.userDisabled : AuditAction.userEnabled, target, details: { userId, sessionsEnded: ended.length } });
      return { user: toAdminUser({ ...before, role, disabled: disabled ? 1 : 0 }), ended };
    });
    this.ended(userId, ended);
    return user;
  }

  async revokeSessions(userId: string, actor: AuditActor): Promise<{ revoked: number }> {
    const ended = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('users').select(['id', 'username']).where('id', '=', userId).executeTakeFirst();
      if (!user) throw notFound(userId);
      const ids = await this.deps.sessions.revokeAllOf(trx, userId);
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userSessionsRevoked, target: user.username, details: { userId, sessionsEnded: ids.length } });
      return ids;
    });
    this.ended(userId, ended);
    return { revoked: ended.length };
  }

  private ended(userId: string, sessionIds: readonly string[]): void {
    this.deps.sessions.announce(sessionIds, 'admin');
    for (const sessionId of sessionIds) this.deps.onSignedOut(userId, sessionId);
  }
}

const notFound = (userId: string) => new DomainError('not_found', `No user ${userId.slice(0, 64)}.`);
