import { randomUUID } from 'node:crypto';
import type { SyncMutation, SyncMutationResult } from '../../../shared/api/sync';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { Wrapups } from '../interactions/wrapup';
import { findHandled, rejected, storeHandled, type MutationOutcome } from './mutation-store';
import type { Notes } from './notes';
import { recordsOf } from './records';

type WrapupMutation = Extract<SyncMutation, { type: 'wrapup.submit' }>;

/**
 * A wrap-up from the outbox. It runs in the interactions module's serial queue, so it is decided
 * against the same state as a live wrap-up or the timeout. Rules (docs/sync.md, "Conflicts"):
 * - in wrap-up now: the normal submit; the interaction closes.
 * - closed by the timeout, no wrap-up from the agent yet: applied late (disposition and notes
 *   stored, still marked timed out, `late`), resolution `late_wrapup`.
 * - already wrapped up (a second device, or a late one already applied): `conflict`
 *   (`wrapup_already_submitted`); a different disposition or notes are kept as a conflict-copy note.
 * - not ended yet, abandoned, unknown, someone else's, unknown disposition: `rejected`.
 */
export class WrapupPush {
  constructor(
    private readonly deps: { db: Db; core: InteractionService; wrapups: Wrapups; notes: Notes; audit: AuditLog },
  ) {}

  push(user: User, sessionId: string, m: WrapupMutation): Promise<SyncMutationResult> {
    const { core } = this.deps;
    return core.run(async () => {
      const prior = await findHandled(this.deps.db.kysely, user.id, m.mutationId);
      if (prior) return prior;
      const live = core.live.get(m.interactionId);
      if (live) return this.submitLive(user, sessionId, m);
      return this.closed(user, m);
    });
  }

  private async submitLive(user: User, sessionId: string, m: WrapupMutation): Promise<SyncMutationResult> {
    const { core, wrapups } = this.deps;
    const principal: Principal = { id: user.id, role: user.role, displayName: user.displayName, sessionId, expiresAt: new Date(8.64e15), user };
    let result: SyncMutationResult | undefined;
    try {
      await wrapups.submitNow(principal, { interactionId: m.interactionId, disposition: m.disposition, notes: m.notes }, async (trx) => {
        result = await storeHandled(trx, user.id, m, { status: 'applied', changes: await recordsOf(trx, m.interactionId, ['interaction', 'wrapup']) }, core.now());
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const code = err.code === 'bad_request' || err.code === 'forbidden' || err.code === 'not_found' ? err.code : 'conflict';
      return this.store(user, m, rejected(code, err.message));
    }
    if (!result) throw new Error('sync: the wrap-up closed without storing its mutation');
    return result;
  }

  private async closed(user: User, m: WrapupMutation): Promise<SyncMutationResult> {
    const { core } = this.deps;
    const row = await core.repo.get(m.interactionId);
    if (!row) return this.store(user, m, rejected('not_found', `No interaction ${m.interactionId}; the wrap-up was not saved.`));
    if (row.agent_id !== user.id) return this.store(user, m, rejected('forbidden', `You are not the agent of interaction ${m.interactionId}; only they wrap it up.`));
    if (row.status !== 'closed') return this.store(user, m, rejected('conflict', `Interaction ${m.interactionId} is ${row.status}; there is no wrap-up to give.`));
    const late = await this.deps.db.kysely.selectFrom('sync_late_wrapups').select('at').where('interaction_id', '=', row.id).executeTakeFirst();
    if (Number(row.wrapup_timed_out) === 1 && !late) return this.late(user, m, row.queue_id);

    const now = core.now();
    const same = row.disposition === m.disposition && (row.notes ?? '') === m.notes;
    return core.repo.transaction(async (_repo, trx) => {
      const kept = same
        ? undefined
        : await this.deps.notes.insert(
            trx,
            { id: randomUUID(), interactionId: row.id, author: user, text: wrapupText(m), conflict: { reason: 'wrapup_already_submitted', of: row.id } },
            now,
          );
      const outcome: MutationOutcome = { status: 'conflict', resolution: 'wrapup_already_submitted', changes: await recordsOf(trx, row.id, ['interaction', 'wrapup']), ...(kept ? { kept } : {}) };
      return storeHandled(trx, user.id, m, outcome, now);
    });
  }

  /** The timeout closed it while the agent was offline: their wrap-up still counts, marked late. */
  private async late(user: User, m: WrapupMutation, queueId: string): Promise<SyncMutationResult> {
    const { core } = this.deps;
    const allowed = core.queues.get(queueId)?.dispositions ?? [];
    if (!allowed.includes(m.disposition)) {
      return this.store(user, m, rejected('bad_request', `Unknown disposition ${JSON.stringify(m.disposition)}. Choose one of: ${allowed.join(', ')}.`));
    }
    const now = core.now();
    const actor = await core.actor(user.id);
    const result = await core.repo.transaction(async (repo, trx) => {
      await trx.insertInto('sync_late_wrapups').values({ interaction_id: m.interactionId, at: now.toISOString() }).execute();
      await repo.update(m.interactionId, { disposition: m.disposition, notes: m.notes, wrapup_at: now.toISOString(), wrapup_by: actor.username });
      await repo.addEvent(m.interactionId, 'wrapup_submitted', now, actor, { disposition: m.disposition, late: true });
      const changes = await recordsOf(trx, m.interactionId, ['interaction', 'wrapup']);
      return storeHandled(trx, user.id, m, { status: 'applied', resolution: 'late_wrapup', changes }, now);
    });
    await this.deps.audit.append({
      actor,
      action: AuditAction.wrapupSubmitted,
      target: m.interactionId,
      details: { interactionId: m.interactionId, disposition: m.disposition, late: true },
    });
    return result;
  }

  private store(user: User, m: WrapupMutation, outcome: MutationOutcome): Promise<SyncMutationResult> {
    const { core } = this.deps;
    return core.repo.transaction((_repo, trx) => storeHandled(trx, user.id, m, outcome, core.now()));
  }
}

/** What a second wrap-up said, as the text of its conflict copy. */
function wrapupText(m: WrapupMutation): string {
  return m.notes ? `Wrap-up from another device: ${m.disposition}\n\n${m.notes}` : `Wrap-up from another device: ${m.disposition}`;
}
