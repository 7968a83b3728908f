import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AdminUser, CreateUserRequest, UpdateUserRequest } from '../../../shared/api/users';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { PasswordHasher } from './passwords';
import type { SessionStore } from './sessions';

export interface UserAdminDeps {
  db: Db;
  sessions: SessionStore;
  audit: AuditLog;
  /** Hashes the passwords admins set (create, reset). */
  passwords?: PasswordHasher;
  now?: () => Date;
  /** A session ended: other modules drop the user's presence at once. */
  onSignedOut(userId: string, sessionId: string): void;
  /** Queue memberships changed (after the commit): routing reloads its queues. */
  onQueuesChanged?(): Promise<void>;
}

type UserRow = { id: string; username: string; display_name: string; role: AdminUser['role']; disabled: number; must_change_password: number };
const USER_COLUMNS = ['id', 'username', 'display_name', 'role', 'disabled', 'must_change_password'] as const;

const toAdminUser = (row: UserRow, queueIds: string[]): AdminUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  disabled: Number(row.disabled) !== 0,
  queueIds,
  mustChangePassword: Number(row.must_change_password) !== 0,
});

/**
 * Admins change staff accounts: create, role, disabled, display name, queues, a password reset,
 * sessions. Each change, the sessions it ends and its audit entries are one transaction; after the
 * commit the user's open connections close (4410).
 */
export class UserAdmin {
  constructor(private readonly deps: UserAdminDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private hasher(): PasswordHasher {
    if (!this.deps.passwords) throw new Error('user-admin: no password hasher configured');
    return this.deps.passwords;
  }

  async list(): Promise<AdminUser[]> {
    const [rows, members] = await Promise.all([
      this.deps.db.kysely.selectFrom('users').select(USER_COLUMNS).orderBy('username').execute(),
      this.deps.db.kysely.selectFrom('queue_members').select(['queue_id', 'user_id']).orderBy('queue_id').execute(),
    ]);
    return rows.map((row) => toAdminUser(row, members.filter((m) => m.user_id === row.id).map((m) => m.queue_id)));
  }

  async create(input: CreateUserRequest & { queueIds: string[] }, actor: AuditActor): Promise<AdminUser> {
    const hash = await this.hasher().hash(input.password);
    const id = randomUUID();
    const user = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
      if (taken) throw new DomainError('conflict', `A user named ${input.username} already exists.`);
      const row = { id, username: input.username, display_name: input.displayName, role: input.role, password_hash: hash, created_at: this.now().toISOString(), must_change_password: 1 };
      await trx.insertInto('users').values(row).execute();
      await setQueues(trx, id, input.queueIds);
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userCreated, target: input.username, details: { userId: id, role: input.role, queues: input.queueIds, via: 'admin' } });
      return toAdminUser({ ...row, disabled: 0 }, [...input.queueIds].sort());
    });
    if (input.queueIds.length > 0) await this.deps.onQueuesChanged?.();
    return user;
  }

  async update(userId: string, change: UpdateUserRequest, actor: AuditActor): Promise<AdminUser> {
    const { user, ended, queuesChanged } = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
      if (!before) throw notFound(userId);
      const queuesBefore = await queuesOf(trx, userId);
      const role = change.role ?? before.role;
      const disabled = change.disabled === undefined ? Number(before.disabled) !== 0 : change.disabled;
      const displayName = change.displayName ?? before.display_name;
      const roleChanged = role !== before.role;
      const disabledChanged = disabled !== (Number(before.disabled) !== 0);
      if (userId === actor.id && (roleChanged || disabledChanged)) throw new DomainError('conflict', 'You cannot change your own role or disable yourself. Ask another admin.');
      const nameChanged = displayName !== before.display_name;
      const queueIds = change.queueIds ? [...new Set(change.queueIds)].sort() : queuesBefore;
      const queuesChanged = queueIds.join(',') !== queuesBefore.join(',');
      const after = { ...before, role, display_name: displayName, disabled: disabled ? 1 : 0 };
      if (!roleChanged && !disabledChanged && !nameChanged && !queuesChanged) return { user: toAdminUser(before, queuesBefore), ended: [] as string[], queuesChanged: false };
      await trx.updateTable('users').set({ role, disabled: disabled ? 1 : 0, display_name: displayName }).where('id', '=', userId).execute();
      if (before.role === 'admin' && (role !== 'admin' || disabled)) {
        const admins = await trx.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled', '=', 0).execute();
        if (admins.length === 0) throw new DomainError('conflict', `${before.username} is the last active admin; make another user admin first.`);
      }
      if (queuesChanged) await setQueues(trx, userId, queueIds);
      // A new role or a disabled account: what the user's sessions were allowed no longer holds.
      const ended = roleChanged || disabledChanged ? await this.deps.sessions.revokeAllOf(trx, userId) : [];
      const target = before.username;
      if (roleChanged) await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userRoleChanged, target, details: { userId, before: before.role, after: role, sessionsEnded: ended.length } });
      if (disabledChanged) await this.deps.audit.appendIn(trx, { actor, action: disabled ? AuditAction.userDisabled : AuditAction.userEnabled, target, details: { userId, sessionsEnded: ended.length } });
      if (nameChanged || queuesChanged) {
        // Names are personal data: the entry says that it changed, not to what.
        await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userChanged, target, details: { userId, ...(nameChanged ? { displayName: 'changed' } : {}), ...(queuesChanged ? { queuesBefore, queuesAfter: queueIds } : {}) } });
      }
      return { user: toAdminUser(after, queueIds), ended, queuesChanged };
    });
    this.ended(userId, ended);
    if (queuesChanged) await this.deps.onQueuesChanged?.();
    return user;
  }

  /** Sets a temporary password the user must change at their next sign-in; their sessions end. */
  async resetPassword(userId: string, password: string, actor: AuditActor): Promise<AdminUser> {
    const hash = await this.hasher().hash(password);
    const { user, ended } = await this.deps.db.kysely.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
      if (!before) throw notFound(userId);
      await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', userId).execute();
      const ended = await this.deps.sessions.revokeAllOf(trx, userId);
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.userPasswordReset, target: before.username, details: { userId, sessionsEnded: ended.length } });
      return { user: toAdminUser({ ...before, must_change_password: 1 }, await queuesOf(trx, userId)), ended };
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

async function queuesOf(trx: Transaction<Database>, userId: string): Promise<string[]> {
  return (await trx.selectFrom('queue_members').select('queue_id').where('user_id', '=', userId).orderBy('queue_id').execute()).map((r) => r.queue_id);
}

/** Makes the user a member of exactly these queues; an unknown queue id is a bad request. */
async function setQueues(trx: Transaction<Database>, userId: string, queueIds: readonly string[]): Promise<void> {
  const wanted = [...new Set(queueIds)];
  if (wanted.length > 0) {
    const known = new Set((await trx.selectFrom('queues').select('id').where('id', 'in', wanted).execute()).map((r) => r.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new DomainError('bad_request', `No queue ${unknown.map((id) => id.slice(0, 64)).join(', ')}.`);
  }
  const current = await queuesOf(trx, userId);
  const gone = current.filter((id) => !wanted.includes(id));
  const added = wanted.filter((id) => !current.includes(id));
  if (gone.length > 0) await trx.deleteFrom('queue_members').where('user_id', '=', userId).where('queue_id', 'in', gone).execute();
  if (added.length > 0) await trx.insertInto('queue_members').values(added.map((queue_id) => ({ queue_id, user_id: userId }))).execute();
}

const notFound = (userId: string) => new DomainError('not_found', `No user ${userId.slice(0, 64)}.`);
