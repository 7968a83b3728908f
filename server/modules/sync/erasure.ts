import type { EraseInteractionResponse } from '../../../shared/api/sync';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { InteractionService } from '../interactions/interaction-service';
import type { ChangeInput, ChangeLog } from './change-log';

/** What other modules erase of an interaction in the same transaction (the training library, consent records). */
export type ErasureHook = (trx: Kysely<Database>, interactionId: string) => Promise<void>;

/**
 * Erases the personal data of an interaction: its messages and agents' notes are deleted, the
 * customer's name, e-mail and the wrap-up notes cleared, and every synced copy (messages, notes,
 * contact, wrap-up, the interaction itself) gets a tombstone with reason `erased`, so each app
 * removes it. What stays on the server (times, queue, agent, disposition, timeline) names no
 * customer. An admin erases a closed interaction; a child-protected one is purged by itself when
 * it ends (into wrap-up, and again once closed, for the wrap-up notes).
 */
export class Erasure {
  constructor(private readonly deps: { core: InteractionService; log: ChangeLog; audit: AuditLog; alsoErase?: readonly ErasureHook[] }) {}

  erase(interactionId: string, admin: User): Promise<EraseInteractionResponse> {
    const { core } = this.deps;
    return core.run(async () => {
      if (core.live.has(interactionId)) throw new DomainError('conflict', `Interaction ${interactionId} is still in progress; erase it once it is closed.`);
      return this.purge(interactionId, { id: admin.id, username: admin.username }, {});
    });
  }

  /** A child-protected interaction ended or closed; runs inside the interactions change that did it. */
  async purgeChildProtected(interactionId: string): Promise<void> {
    await this.purge(interactionId, null, { reason: 'child_protected' });
  }

  private async purge(interactionId: string, actor: AuditActor | null, why: Record<string, string>): Promise<EraseInteractionResponse> {
    const { core, log } = this.deps;
    const row = await core.repo.get(interactionId);
    if (!row) throw new DomainError('not_found', `No interaction ${interactionId}.`);
    const now = core.now();
    const counts = await core.repo.transaction(async (_repo, trx) => {
      const messages = (await trx.selectFrom('messages').select('id').where('interaction_id', '=', interactionId).execute()).map((r) => r.id);
      const notes = (await trx.selectFrom('sync_notes').select('id').where('interaction_id', '=', interactionId).execute()).map((r) => r.id);
      await trx.deleteFrom('messages').where('interaction_id', '=', interactionId).execute();
      await trx.deleteFrom('sync_notes').where('interaction_id', '=', interactionId).execute();
      for (const hook of this.deps.alsoErase ?? []) await hook(trx, interactionId);
      // Straight to the table, not through the repo: its hook would publish the row again as an upsert.
      await trx.updateTable('interactions').set({ customer_name: null, customer_email: null, notes: null, customer_token_hash: null }).where('id', '=', interactionId).execute();
      const erased = (kind: ChangeInput['kind'], id: string): ChangeInput => ({ kind, entityId: id, interactionId, op: 'tombstone', reason: 'erased' });
      await log.record(
        trx,
        [
          ...messages.map((id) => erased('message', id)),
          ...notes.map((id) => erased('note', id)),
          erased('contact', interactionId),
          ...(row.wrapup_at ? [erased('wrapup', interactionId)] : []),
          erased('interaction', interactionId),
        ],
        now,
      );
      return { messages: messages.length, notes: notes.length };
    });
    await this.deps.audit.append({ actor, action: AuditAction.interactionErased, target: interactionId, details: { interactionId, ...counts, ...why } });
    return { interactionId, ...counts };
  }
}
