import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';
import { flushSensitiveSuggestions } from './sensitive-suggest';

/** An agent answers an offer: accept (the interaction becomes theirs) or decline (it goes to the next agent). */
export class Offers {
  constructor(private readonly core: InteractionService) {}

  /** The interaction in progress, or the refusal that says why there is nothing to answer. */
  private async liveOrRefuse(interactionId: string, verb: 'accept' | 'decline'): Promise<LiveInteraction> {
    const live = this.core.live.get(interactionId);
    if (live) return live;
    const row = await this.core.repo.get(interactionId);
    if (!row) throw refuse.notFound(interactionId);
    throw refuse.conflict(`Interaction ${interactionId} has already ended (${row.status}); there is nothing to ${verb}.`);
  }

  accept(principal: Principal, interactionId: string): Promise<void> {
    const { core } = this;
    return core.run(async () => {
      const now = core.now();
      const live = await this.liveOrRefuse(interactionId, 'accept');
      if (live.status === 'active' || live.status === 'wrapup') {
        throw refuse.conflict(live.agentId === principal.id ? 'You already accepted this interaction.' : 'Another agent already answered this interaction.');
      }
      if (live.offer?.agentId !== principal.id) {
        throw refuse.conflict('This interaction is not offered to you: the offer timed out, was declined or went to another agent.');
      }
      core.deps.fence?.();
      const result = core.engine.accept(interactionId, principal.id, now.getTime());
      if (!result.ok) throw refuse.conflict('The offer has expired; the interaction is going to the next agent.');
      const actor = await core.actor(principal.id);
      live.status = 'active';
      live.agentId = principal.id;
      live.offer = null;
      live.onHold = false;
      const row = await core.repo.get(interactionId);
      await core.repo.update(interactionId, { status: 'active', agent_id: principal.id, answered_at: row?.answered_at ?? now.toISOString(), on_hold: 0 });
      await core.repo.addEvent(interactionId, 'answered', now, actor);
      await core.deps.offerLog.accepted(interactionId, principal.id, now);
      await core.deps.audit.append({ actor, action: AuditAction.interactionAccepted, target: interactionId, details: { interactionId, queueId: live.queueId, kind: live.kind } });
      core.hub.sendTo(principal.id, { type: 'offer.withdrawn', interactionId, reason: 'accepted' });
      core.hub.sendTo(principal.id, { type: 'interaction.opened', interaction: await core.detail(interactionId) });
      flushSensitiveSuggestions(core, live);
      core.pushCustomerState(live);
      const connected = { type: 'connected', interactionId, agentId: principal.id, at: now } as const;
      await (live.kind === 'call' ? core.notifyCall(connected) : core.notifyChat(connected));
      await core.apply(result.outcome, now);
    });
  }

  decline(principal: Principal, interactionId: string): Promise<void> {
    const { core } = this;
    return core.run(async () => {
      const now = core.now();
      const live = await this.liveOrRefuse(interactionId, 'decline');
      if (live.offer?.agentId !== principal.id) {
        throw refuse.conflict('This interaction is not offered to you: the offer timed out, was accepted or went to another agent.');
      }
      const result = core.engine.decline(interactionId, principal.id, now.getTime());
      if (!result.ok) throw refuse.conflict('The offer has expired; the interaction is going to the next agent.');
      await core.deps.audit.append({ actor: await core.actor(principal.id), action: AuditAction.interactionDeclined, target: interactionId, details: { interactionId, queueId: live.queueId } });
      await core.apply(result.outcome, now);
    });
  }
}
