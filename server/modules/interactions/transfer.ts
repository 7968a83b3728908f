import type { z } from 'zod';
import type { TransferTarget } from '../../../shared/api/ws-interactions';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import { refuse, type InteractionService } from './interaction-service';

/**
 * Blind transfer: the assigned agent hands the interaction to a queue or to one agent and is done
 * with it (no wrap-up; their capacity is freed). It waits again, with the customer told so. A named
 * agent must be a queue member who can take it now (available, not in wrap-up, room for a chat or
 * no call in progress); if they still do not answer, it falls back to the queue (routing R8).
 */
export class Transfers {
  constructor(private readonly core: InteractionService) {}

  transfer(principal: Principal, interactionId: string, to: z.infer<typeof TransferTarget>): Promise<void> {
    return this.core.run(async () => {
      const { live } = await this.core.requireParty(principal, interactionId);
      if (live.status !== 'active') throw refuse.conflict(`Interaction ${interactionId} has already ended; only a connected interaction can be transferred.`);

      let queueId: string;
      let target: Record<string, unknown>;
      let targetAgentId: string | undefined;
      if (to.kind === 'queue') {
        const queue = this.core.queues.get(to.queueId);
        if (!queue) throw new DomainError('not_found', `No queue ${to.queueId}.`);
        queueId = queue.id;
        target = { kind: 'queue', queueId: queue.id, queueName: queue.name };
      } else {
        if (to.userId === principal.id) throw new DomainError('bad_request', 'You cannot transfer an interaction to yourself.');
        const memberOf = [...this.core.queues.values()].filter((q) => q.memberIds.includes(to.userId));
        if (memberOf.length === 0) throw new DomainError('bad_request', `User ${to.userId} is not an agent of any queue; transfer to a queue member or to a queue.`);
        this.requireTakes(to.userId, live.kind);
        // Its queue stays when the target works it; otherwise one of the target's queues (for the fallback).
        queueId = memberOf.some((q) => q.id === live.queueId) ? live.queueId : memberOf[0]!.id;
        targetAgentId = to.userId;
        target = { kind: 'agent', userId: to.userId, username: (await this.core.actor(to.userId)).username };
      }

      const now = this.core.now();
      const from = await this.core.actor(principal.id);
      await this.core.apply(this.core.engine.release(interactionId, now.getTime()), now);
      live.status = 'queued';
      live.agentId = null;
      live.offer = null;
      live.onHold = false;
      live.queueId = queueId;
      live.enqueuedAt = now.getTime();
      await this.core.repo.update(interactionId, { status: 'queued', agent_id: null, on_hold: 0, queue_id: queueId });
      await this.core.repo.addEvent(interactionId, 'transferred', now, from, { from: from.username, to: target });
      await this.core.deps.audit.append({ actor: from, action: AuditAction.interactionTransferred, target: interactionId, details: { interactionId, to: target } });
      // The agent's copy now says queued, with nobody assigned: their UI closes it.
      await this.core.sendUpdated(interactionId, principal.id);
      if (live.kind === 'call') await this.core.notifyCall({ type: 'transferred', interactionId, fromAgentId: principal.id, at: now });
      this.core.watchCustomer(live);
      const item = { id: interactionId, kind: live.kind, queueId, enqueuedAt: live.enqueuedAt, ...(targetAgentId ? { targetAgentId } : {}) };
      await this.core.apply(this.core.engine.enqueue(item, now.getTime()), now);
    });
  }

  /** A named target must be able to take it now: available, not wrapping up, with room for the kind. */
  private requireTakes(userId: string, kind: 'chat' | 'call'): void {
    const check = this.core.engine.transferTargetCheck(userId, kind);
    if (check === 'ok') return;
    const name = this.core.displayName(userId);
    const why = {
      unavailable: `${name} is not available (away, busy or signed out)`,
      in_wrapup: `${name} is wrapping up another interaction`,
      no_capacity: kind === 'chat' ? `${name} already has as many chats as they can take` : `${name} is already on a call`,
    }[check];
    throw refuse.conflict(`${why}; choose an available agent or transfer to a queue.`);
  }
}
