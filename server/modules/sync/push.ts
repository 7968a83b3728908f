import type { SyncMutation, SyncMutationResult } from '../../../shared/api/sync';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import { lockKey } from '../../db/locks';
import { findHandled, storeHandled } from './mutation-store';
import type { Redaction } from '../redaction/redaction-service';
import type { Notes } from './notes';
import { scopeOf } from './scope';
import type { WrapupPush } from './wrapup-push';

/**
 * Applies outbox mutations in order, each exactly once: its answer is stored under
 * (user, mutationId) in the transaction of its effect, so a resend after a lost answer or a crash
 * finds it and gets it back as `duplicate`, and a crash before the commit leaves neither.
 */
export class SyncPush {
  constructor(private readonly deps: { db: Db; notes: Notes; wrapups: WrapupPush; redaction: Redaction; now?: () => Date }) {}

  async push(user: User, sessionId: string, mutations: readonly SyncMutation[]): Promise<SyncMutationResult[]> {
    const results: SyncMutationResult[] = [];
    for (const m of mutations) results.push(await this.one(user, sessionId, m));
    return results;
  }

  private one(user: User, sessionId: string, raw: SyncMutation): Promise<SyncMutationResult> {
    // Redacted before anything else sees it: the stored answer, the note, the wrap-up and the change log.
    const m = this.redacted(raw);
    if (m.type === 'wrapup.submit') return this.deps.wrapups.push(user, sessionId, m);
    const now = this.deps.now?.() ?? new Date();
    return this.deps.db.kysely.transaction().execute(async (trx) => {
      // Two resends of one mutation at once (PostgreSQL runs them in parallel): the second waits and finds the first's answer.
      await lockKey(trx, this.deps.db.dialect, `sync-mutation:${user.id}:${m.mutationId}`);
      const prior = await findHandled(trx, user.id, m.mutationId);
      if (prior) return prior;
      const outcome = await this.deps.notes.apply(trx, scopeOf(user), user, m, now);
      return storeHandled(trx, user.id, m, outcome, now);
    });
  }

  private redacted(m: SyncMutation): SyncMutation {
    const { redaction } = this.deps;
    if (m.type === 'note.create' || m.type === 'note.edit') return { ...m, text: redaction.redact(m.text).text };
    if (m.type === 'wrapup.submit') return { ...m, notes: redaction.redact(m.notes).text };
    return m;
  }
}
