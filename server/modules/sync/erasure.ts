import type { EraseInteractionResponse } from '../../../shared/api/sync';
import type { User } from '../../../shared/domain/roles';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import { PURGE_CLASSES } from '../privacy/purge/purge-plan';
import type { PurgeReport, Purger } from '../privacy/purge/purger';

/**
 * Erases the personal data of an interaction through the privacy purger (every store the data map
 * names): messages, agents' notes, recordings (rows, pauses, chunks, files), timeline, the
 * customer's name, e-mail, token and the wrap-up notes; every synced copy gets a tombstone with
 * reason `erased`, so each app removes it. What stays on the server (times, queue, agent,
 * disposition) names no customer. An admin erases a closed interaction; a child-protected one is
 * purged by itself when it ends (into wrap-up, and again once closed, for the wrap-up notes).
 */
export class Erasure {
  constructor(private readonly deps: { core: InteractionService; purger: Purger; audit: AuditLog }) {}

  erase(interactionId: string, admin: User): Promise<EraseInteractionResponse> {
    const { core } = this.deps;
    return core.run(async () => {
      if (core.live.has(interactionId)) throw new DomainError('conflict', `Interaction ${interactionId} is still in progress; erase it once it is closed.`);
      if (!(await core.repo.get(interactionId))) throw new DomainError('not_found', `No interaction ${interactionId}.`);
      const actor = { id: admin.id, username: admin.username };
      const report = await this.deps.purger.purge([interactionId], PURGE_CLASSES, { actor, reason: 'erase' });
      return this.audited(interactionId, report, actor, {});
    });
  }

  /**
   * A child-protected interaction ended or closed; runs inside the interactions change that did it.
   * Its words and contact fields go (it was never recorded); its timeline stays while it ends.
   */
  async purgeChildProtected(interactionId: string): Promise<void> {
    if (!(await this.deps.core.repo.get(interactionId))) return;
    const report = await this.deps.purger.purge([interactionId], ['transcripts', 'contacts'], { actor: null, reason: 'child_protected', dropFromCaches: true });
    await this.audited(interactionId, report, null, { reason: 'child_protected' });
  }

  private async audited(interactionId: string, report: PurgeReport, actor: AuditActor | null, why: Record<string, string>): Promise<EraseInteractionResponse> {
    const count = (store: string) => report.stores.find((s) => s.store === store)?.done ?? 0;
    const counts = { messages: count('messages'), notes: count('sync_notes'), recordings: count('recordings') };
    await this.deps.audit.append({ actor, action: AuditAction.interactionErased, target: interactionId, details: { interactionId, ...counts, ...why, stores: report.stores.map((s) => ({ store: s.store, done: s.done })) } });
    return { interactionId, messages: counts.messages, notes: counts.notes };
  }
}
