import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { Database } from '../../db/schema';
import type { Transaction } from 'kysely';
import type { StaffSession } from '../../kernel/routes';
import { toUser } from '../users/users-repo';


const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Why a session ended early: its user signed out, or an admin changed the account or ended its sessions. */
export type RevokeCause = 'signed_out' | 'admin';

/** Opaque bearer tokens: random, stored only as a hash, expiring, revocable on sign-out. */
export class SessionStore {
  private readonly revokedListeners = new Set<(sessionId: string, cause: RevokeCause) => void>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(user: User): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const token = `vd_${randomBytes(32).toString('base64url')}`;
    const sessionId = randomUUID();
    const created = this.now();
    const expiresAt = new Date(created.getTime() + this.ttlMs);
    await this.db.kysely
      .insertInto('sessions')
      .values({
        id: sessionId,
        token_hash: hashToken(token),
        user_id: user.id,
        created_at: created.toISOString(),
        expires_at: expiresAt.toISOString(),
        revoked_at: null,
      })
      .execute();
    return { token, expiresAt, sessionId };
  }

  /** The session behind a token, or null when unknown, expired, revoked or the user was disabled. */
  async authenticate(token: string): Promise<StaffSession | null> {
    if (!token.startsWith('vd_') || token.length > 200) return null;
    const row = await this.db.kysely
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.revoked_at', 'users.id', 'users.username', 'users.display_name', 'users.role', 'users.disabled', 'users.must_change_password'])
      .where('sessions.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled) return null;
    const expiresAt = new Date(row.expires_at);
    if (expiresAt.getTime() <= this.now().getTime()) return null;
    return { sessionId: row.session_id, user: toUser(row), expiresAt, mustChangePassword: Number(row.must_change_password) !== 0 };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.kysely.updateTable('sessions').set({ revoked_at: this.now().toISOString() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
    this.announce([sessionId], 'signed_out');
  }

  /**
   * Ends every live session of a user inside `trx` (with the audit entry of why); returns their
   * ids. Call announce() with them after the commit so open connections close.
   */
  async revokeAllOf(trx: Transaction<Database>, userId: string, except?: string): Promise<string[]> {
    const at = this.now().toISOString();
    let liveQuery = trx.selectFrom('sessions').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', at);
    let update = trx.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    // A user changing their own password keeps the session they did it from.
    if (except !== undefined) {
      liveQuery = liveQuery.where('id', '!=', except);
      update = update.where('id', '!=', except);
    }
    const live = await liveQuery.execute();
    if (live.length === 0) return [];
    await update.execute();
    return live.map((row) => row.id);
  }

  /** Tells live connections their sessions ended (after the revoking transaction committed). */
  announce(sessionIds: readonly string[], cause: RevokeCause): void {
    for (const sessionId of sessionIds) for (const listener of this.revokedListeners) listener(sessionId, cause);
  }

  /** Lets live connections (WebSocket) close when their session is signed out or revoked. */
  onRevoked(listener: (sessionId: string, cause: RevokeCause) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Removes long-dead rows; run at start-up. */
  async purgeExpired(olderThanMs = 7 * 24 * 3600_000): Promise<void> {
    const cutoff = new Date(this.now().getTime() - olderThanMs).toISOString();
    await this.db.kysely.deleteFrom('sessions').where('expires_at', '<', cutoff).execute();
  }
}
