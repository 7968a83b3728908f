import type { z } from 'zod';
import type { TransferTarget } from '../../../shared/api/ws-interactions';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';
import type { TimelineActor } from './repo';

type Target = z.infer<typeof TransferTarget>;

/** Where a transfer or a move sends an interaction, checked. */
interface Resolved {
  queueId: string;
  targetAgentId?: string;
  /** As the timeline and the audit log record it. */
  recorded: Record<string, unknown>;
}

/**
 * Blind transfer: the assigned agent hands the interaction to a queue or to one agent and is done
 * with it (no wrap-up; their capacity is freed). It waits again, with the customer told so. A named
 * agent must be a queue member who can take it now (available, not in wrap-up, room for a chat or
 * no call in progress); if they still do not answer, it falls back to the queue (routing R8).
 * Supervisors move interactions from the board the same way (`move`): a live one as a transfer
 * made on its agent's behalf, a waiting one (queued or offered) to another queue or agent.
 */
export class Transfers {
  constructor(private readonly core: InteractionService) {}

  transfer(principal: Principal, interactionId: string, to: Target): Promise<void> {
    return this.core.run(async () => {
      const { live } = await this.core.requireParty(principal, interactionId);
      if (live.status !== 'active') throw refuse.conflict(`Interaction ${interactionId} has already ended; only a connected interaction can be transferred.`);
      if (to.kind === 'agent' && to.userId === principal.id) throw new DomainError('bad_request', 'You cannot transfer an interaction to yourself.');
      const target = await this.resolve(live, to);
      const from = await this.core.actor(principal.id);
      await this.requeueActive(live, target, from, from, {});
    });
  }

  /** Board move (supervisors, admins): a waiting or live interaction to another queue or agent. */
  move(principal: Principal, interactionId: string, to: Target): Promise<void> {
    return this.core.run(async () => {
      const live = this.core.live.get(interactionId);
      if (!live) {
        const row = await this.core.repo.get(interactionId);
        if (!row) throw refuse.notFound(interactionId);
        throw refuse.conflict(`Interaction ${interactionId} has already ended (${row.status}); there is nothing to move.`);
      }
      if (live.status === 'wrapup') throw refuse.conflict(`Interaction ${interactionId} has ended and is being wrapped up; there is nothing to move.`);
      if (to.kind === 'agent' && to.userId === live.agentId) throw new DomainError('bad_request', 'That agent is already handling this interaction.');
      if (to.kind === 'queue' && live.status !== 'active' && to.queueId === live.queueId && !live.offer) {
        throw new DomainError('bad_request', 'The interaction is already waiting in that queue.');
      }
      const target = await this.resolve(live, to);
      const by = await this.core.actor(principal.id);
      if (live.status === 'active') {
        const agent = await this.core.actor(live.agentId!);
        await this.requeueActive(live, target, agent, by, { by: by.username });
        return;
      }
      const now = this.core.now();
      const pulled = this.core.engine.pull(interactionId, now.getTime());
      if (pulled) await this.core.apply(pulled, now);
      live.status = 'queued';
      live.offer = null;
      live.queueId = target.queueId;
      await this.core.repo.update(interactionId, { status: 'queued', queue_id: target.queueId });
      await this.core.repo.addEvent(interactionId, 'moved', now, by, { to: target.recorded });
      await this.core.deps.audit.append({ actor: by, action: AuditAction.interactionMoved, target: interactionId, details: { interactionId, status: 'waiting', to: target.recorded } });
      await this.enqueue(live, target, now);
    });
  }

  /** Checks the target: a queue that exists, or an agent of some queue who can take it now. */
  private async resolve(live: LiveInteraction, to: Target): Promise<Resolved> {
    if (to.kind === 'queue') {
      const queue = this.core.queues.get(to.queueId);
      if (!queue) throw new DomainError('not_found', `No queue ${to.queueId}.`);
      return { queueId: queue.id, recorded: { kind: 'queue', queueId: queue.id, queueName: queue.name } };
    }
    const memberOf = [...this.core.queues.values()].filter((q) => q.memberIds.includes(to.userId));
    if (memberOf.length === 0) throw new DomainError('bad_request', `User ${to.userId} is not an agent of any queue; transfer to a queue member or to a queue.`);
    this.requireTakes(to.userId, live.kind);
    // Its queue stays when the target works it; otherwise one of the target's queues (for the fallback).
    const queueId = memberOf.some((q) => q.id === live.queueId) ? live.queueId : memberOf[0]!.id;
    return { queueId, targetAgentId: to.userId, recorded: { kind: 'agent', userId: to.userId, username: (await this.core.actor(to.userId)).username } };
  }

  /** A connected interaction leaves its agent (`from`) and waits for the target; `by` did it. */
  private async requeueActive(live: LiveInteraction, target: Resolved, from: TimelineActor, by: TimelineActor, extra: Record<string, unknown>): Promise<void> {
    const now = this.core.now();
    const interactionId = live.id;
    await this.core.apply(this.core.engine.release(interactionId, now.getTime()), now);
    live.status = 'queued';
    live.agentId = null;
    live.offer = null;
    live.onHold = false;
    live.queueId = target.queueId;
    await this.core.repo.update(interactionId, { status: 'queued', agent_id: null, on_hold: 0, queue_id: target.queueId });
    await this.core.repo.addEvent(interactionId, 'transferred', now, by, { from: from.username, to: target.recorded, ...extra });
    await this.core.deps.audit.append({ actor: by, action: AuditAction.interactionTransferred, target: interactionId, details: { interactionId, to: target.recorded, ...extra } });
    // The agent's copy now says queued, with nobody assigned: their UI closes it.
    await this.core.sendUpdated(interactionId, from.id);
    const moved = { type: 'transferred', interactionId, fromAgentId: from.id, at: now } as const;
    await (live.kind === 'call' ? this.core.notifyCall(moved) : this.core.notifyChat(moved));
    await this.enqueue(live, target, now);
  }

  private async enqueue(live: LiveInteraction, target: Resolved, now: Date): Promise<void> {
    live.enqueuedAt = now.getTime();
    this.core.watchCustomer(live);
    const item = { id: live.id, kind: live.kind, queueId: target.queueId, enqueuedAt: live.enqueuedAt, ...(target.targetAgentId ? { targetAgentId: target.targetAgentId } : {}) };
    await this.core.apply(this.core.engine.enqueue(item, now.getTime()), now);
  }

  /** A named target must be able to take it now: available, not wrapping up, with room for the kind. */
  requireTakes(userId: string, kind: 'chat' | 'call'): void {
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
