import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { StaffSession } from '../../kernel/routes';
import { toUser } from '../users/users-repo';


const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Opaque bearer tokens: random, stored only as a hash, expiring, revocable on sign-out. */
export class SessionStore {
  private readonly revokedListeners = new Set<(sessionId: string) => void>();

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
      .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.revoked_at', 'users.id', 'users.username', 'users.display_name', 'users.role', 'users.disabled'])
      .where('sessions.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled) return null;
    const expiresAt = new Date(row.expires_at);
    if (expiresAt.getTime() <= this.now().getTime()) return null;
    return { sessionId: row.session_id, user: toUser(row), expiresAt };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.kysely.updateTable('sessions').set({ revoked_at: this.now().toISOString() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
    for (const listener of this.revokedListeners) listener(sessionId);
  }

  /** Lets live connections (WebSocket) close when their session is signed out. */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Removes long-dead rows; run at start-up. */
  async purgeExpired(olderThanMs = 7 * 24 * 3600_000): Promise<void> {
    const cutoff = new Date(this.now().getTime() - olderThanMs).toISOString();
    await this.db.kysely.deleteFrom('sessions').where('expires_at', '<', cutoff).execute();
  }
}
