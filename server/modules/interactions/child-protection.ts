import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { InteractionService } from './interaction-service';
import { refuse } from './refuse';

/** What other modules do for a child-protected interaction; each runs inside the change that caused it. */
export type ChildProtectionEvent =
  /** The agent pressed child-flag mid-conversation: stop and delete its recording now. */
  | { type: 'flagged'; interactionId: string; agentId: string; at: Date }
  /** A child-protected interaction ended (into wrap-up) or closed: purge its transcript everywhere. */
  | { type: 'ended'; interactionId: string; phase: 'wrapup' | 'closed'; at: Date };

/**
 * Children under 13 (privacy-model.md, principle 7). The mark lives on the interaction
 * (`child_protected`); what it means for recordings and the synced copies is done by their owners
 * through `observers` (recordings delete the recording, sync purges the transcript with
 * tombstones), so this file knows neither.
 */
export class ChildProtection {
  readonly observers: ((event: ChildProtectionEvent) => Promise<void> | void)[] = [];

  constructor(private readonly core: InteractionService) {}

  /** `interaction.child_flag` from the handling agent of an interaction in progress. */
  flag(principal: Principal, interactionId: string): Promise<void> {
    const core = this.core;
    return core.run(async () => {
      const { live, side } = await core.requireParty(principal, interactionId);
      if (side !== 'agent' || !live.agentId) throw refuse.forbidden('Only the handling agent may mark a conversation as with a child.');
      if (live.status !== 'active') throw refuse.conflict(`Interaction ${interactionId} is not in progress (${live.status}).`);
      const row = await core.repo.get(interactionId);
      if (row?.child_protected) return;
      const now = core.now();
      live.customerName = null;
      await core.repo.update(interactionId, { child_protected: 1, customer_name: null, customer_email: null });
      await this.tell({ type: 'flagged', interactionId, agentId: live.agentId, at: now });
      // Ids only: the audit log must not become the place where the child's data survives.
      await core.deps.audit.append({ actor: await core.actor(live.agentId), action: AuditAction.interactionChildFlagged, target: interactionId, details: { interactionId } });
      await core.sendUpdated(interactionId, live.agentId);
      core.changed();
    });
  }

  /** Called inside the change that ended or closed an interaction; does nothing unless it is child-protected. */
  async ended(interactionId: string, phase: 'wrapup' | 'closed', at: Date): Promise<void> {
    const row = await this.core.repo.get(interactionId);
    if (!row?.child_protected) return;
    await this.tell({ type: 'ended', interactionId, phase, at });
  }

  /** An observer's failure is logged, never the change's. */
  private async tell(event: ChildProtectionEvent): Promise<void> {
    for (const observer of this.observers) {
      try {
        await observer(event);
      } catch (err) {
        this.core.deps.log?.error({ err, interactionId: event.interactionId }, `interactions: child-protection ${event.type} observer failed`);
      }
    }
  }
}
