import { randomUUID } from 'node:crypto';
import type { ServerMessageOf } from '../../../shared/api/ws';
import type { ConsultView } from '../../../shared/api/ws-consult';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { ConsultStore, StoredConsult } from './consult-store';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';
import { flushSensitiveSuggestions } from './sensitive-suggest';
import type { Transfers } from './transfer';

/**
 * A consult in progress, in memory and in the consults table (consult-store.ts). wasHeld: whether
 * the customer was already on hold when it started (cancel puts things back as they were). attempt:
 * the consult audio's, up by one each time an agent's app reconnects while talking.
 */
type Consult = StoredConsult;

/**
 * Consult (warm) transfer of a call. State machine, per call (at most one consult at a time):
 *
 *   start (call's agent)      → ringing   customer put on hold; both agents get consult.state
 *   accept (agent consulted)  → talking   the first agent's app offers a peer (consult.signal)
 *   complete (call's agent, talking) → the call is handed over: the agent consulted is assigned
 *                               without an offer, the first agent's copy moves away, the customer
 *                               is off hold and re-offers its audio to the new agent
 *   cancel (either agent), or the call ends or is transferred, or either agent goes offline
 *                             → cancelled; the customer is off hold again unless they were held
 *                               before the consult
 *
 * From start to its end the agent consulted is held for it in routing (holdForConsult: it counts as
 * a call, so no call is offered to them; released by releaseConsult, or by the hand-over itself),
 * and the board shows both agents "in a consult".
 *
 * Each step is on the timeline (consult_started, consult_answered, consult_cancelled, and
 * `transferred` with consult: true on completion) and audited. Signals are relayed only between the
 * consult's two agents. The consult audio never touches the customer's call: the first agent's app
 * sends the customer a hold tone and records only the customer's call (docs/recordings.md).
 *
 * Every change is written to the consults table too, so that with several nodes the node taking the
 * routing lease over resumes a consult in progress (load before recovery, resume after it): the
 * agent consulted is held again in routing, and the apps get the consult when they reconnect. A lone
 * node's restart ends the calls, and with them their consults.
 */
export class Consults {
  private readonly byId = new Map<string, Consult>();

  constructor(
    private readonly core: InteractionService,
    private readonly transfers: Transfers,
    private readonly store: ConsultStore,
  ) {
    // The call ended or went elsewhere: its consult is over.
    core.callObservers.push(async (event) => {
      if (event.type === 'connected') return;
      const consult = this.ofInteraction(event.interactionId);
      if (consult) await this.finish(consult, 'call_ended', null);
    });
    // Either agent gone for good (the presence grace period is over, or they signed out): it ends.
    core.deps.presence.onChange((entry) => {
      if (entry.presence !== 'offline' || !this.involving(entry.userId)) return;
      void core.background('consult disconnect', async () => {
        const consult = this.involving(entry.userId);
        if (consult && core.deps.presence.get(entry.userId)?.presence === 'offline') await this.finish(consult, 'disconnected', null);
      });
    });
    core.inConsult = (userId) => this.involving(userId) !== undefined;
  }

  start(principal: Principal, interactionId: string, toUserId: string): Promise<void> {
    return this.core.run(async () => {
      const { live } = await this.core.requireParty(principal, interactionId);
      if (live.kind !== 'call') throw refuse.conflict(`Interaction ${interactionId} is a chat; consult transfers are for calls.`);
      if (live.status !== 'active') throw refuse.conflict(`Call ${interactionId} is not connected; only a connected call can be consulted on.`);
      if (this.ofInteraction(interactionId)) throw refuse.conflict('A consult for this call is already in progress; complete or cancel it first.');
      if (toUserId === principal.id) throw new DomainError('bad_request', 'You cannot consult yourself.');
      if (![...this.core.queues.values()].some((q) => q.memberIds.includes(toUserId))) {
        throw new DomainError('bad_request', `User ${toUserId} is not an agent of any queue; consult a queue member.`);
      }
      if (this.involving(toUserId) || this.involving(principal.id)) throw refuse.conflict(`${this.core.displayName(toUserId)} or you are already in a consult.`);
      this.transfers.requireTakes(toUserId, 'call');
      const now = this.core.now();
      const consult: Consult = { id: randomUUID(), interactionId, fromUserId: principal.id, toUserId, state: 'ringing', wasHeld: live.onHold, attempt: 0 };
      this.byId.set(consult.id, consult);
      await this.store.opened(consult, now);
      // The agent consulted takes no call meanwhile (a call offer they had goes to the next agent).
      await this.core.apply(this.core.engine.holdForConsult(toUserId, now.getTime()), now);
      const from = await this.core.actor(principal.id);
      const to = await this.core.actor(toUserId);
      await this.setHold(live, true, from, now);
      await this.core.repo.addEvent(interactionId, 'consult_started', now, from, { consultId: consult.id, to: to.username });
      await this.core.deps.audit.append({ actor: from, action: AuditAction.consultStarted, target: interactionId, details: { interactionId, consultId: consult.id, toUserId } });
      this.tell(consult, live);
    });
  }

  accept(principal: Principal, consultId: string): Promise<void> {
    return this.core.run(async () => {
      const { consult, live } = this.require(principal, consultId);
      if (principal.id !== consult.toUserId) throw refuse.forbidden('Only the agent consulted can answer this consult.');
      if (consult.state !== 'ringing') throw refuse.conflict('You already answered this consult.');
      consult.state = 'talking';
      await this.store.changed(consult.id, { state: 'talking' });
      const actor = await this.core.actor(principal.id);
      await this.core.repo.addEvent(consult.interactionId, 'consult_answered', this.core.now(), actor, { consultId });
      await this.core.deps.audit.append({ actor, action: AuditAction.consultAnswered, target: consult.interactionId, details: { interactionId: consult.interactionId, consultId } });
      this.tell(consult, live);
    });
  }

  cancel(principal: Principal, consultId: string): Promise<void> {
    return this.core.run(async () => {
      const { consult } = this.require(principal, consultId);
      const declined = principal.id === consult.toUserId && consult.state === 'ringing';
      await this.finish(consult, declined ? 'declined' : 'cancelled', principal.id);
    });
  }

  complete(principal: Principal, consultId: string): Promise<void> {
    return this.core.run(async () => {
      const { consult, live } = this.require(principal, consultId);
      if (principal.id !== consult.fromUserId) throw refuse.forbidden('Only the agent on the call can complete the consult.');
      if (consult.state !== 'talking') throw refuse.conflict(`${this.core.displayName(consult.toUserId)} has not answered the consult yet.`);
      if (live.status !== 'active' || live.agentId !== consult.fromUserId) throw refuse.conflict('The call is no longer yours to hand over.');
      const busy = [...this.core.live.values()].some((l) => l.kind === 'call' && l.status === 'active' && l.agentId === consult.toUserId);
      if (busy) throw refuse.conflict(`${this.core.displayName(consult.toUserId)} took another call meanwhile; cancel the consult.`);
      const now = this.core.now();
      const outcome = this.core.engine.handOver(live.id, consult.toUserId, now.getTime());
      if (!outcome) throw refuse.conflict('The call could not be handed over; cancel the consult.');
      this.byId.delete(consult.id);
      await this.store.ended(consult.id, 'completed', now);
      const from = await this.core.actor(consult.fromUserId);
      const to = await this.core.actor(consult.toUserId);
      const target = { kind: 'agent', userId: to.id, username: to.username };
      live.agentId = consult.toUserId;
      live.onHold = false;
      await this.core.repo.update(live.id, { agent_id: consult.toUserId, on_hold: 0 });
      await this.core.repo.addEvent(live.id, 'transferred', now, from, { from: from.username, to: target, consult: true });
      await this.core.deps.audit.append({ actor: from, action: AuditAction.consultCompleted, target: live.id, details: { interactionId: live.id, consultId, toUserId: to.id } });
      await this.core.deps.audit.append({ actor: from, action: AuditAction.interactionTransferred, target: live.id, details: { interactionId: live.id, to: target, consult: true } });
      // The first agent's copy now names someone else: their app closes it (and its peer).
      await this.core.sendUpdated(live.id, consult.fromUserId);
      await this.core.notifyCall({ type: 'transferred', interactionId: live.id, fromAgentId: consult.fromUserId, at: now });
      this.core.hub.sendTo(consult.toUserId, { type: 'interaction.opened', interaction: await this.core.detail(live.id) });
      await this.core.notifyCall({ type: 'connected', interactionId: live.id, agentId: consult.toUserId, at: now });
      flushSensitiveSuggestions(this.core, live);
      this.core.pushCustomerState(live);
      this.send(consult, live, 'completed');
      await this.core.apply(outcome, now);
    });
  }

  /** Relayed untouched, in arrival order, between the consult's two agents only. */
  signal(principal: Principal, consultId: string, signal: Record<string, unknown>): void {
    const { consult } = this.require(principal, consultId);
    const to = principal.id === consult.fromUserId ? consult.toUserId : consult.fromUserId;
    this.core.hub.sendTo(to, { type: 'consult.signal', consultId, signal });
  }

  /** The consult an agent is in (for a reconnecting app), if any. */
  viewFor(userId: string): ConsultView | null {
    const consult = this.involving(userId);
    const live = consult ? this.core.live.get(consult.interactionId) : undefined;
    return consult && live ? this.view(consult, live, consult.state) : null;
  }

  /**
   * An agent's app (re)connected (after hello, in turn with every change): it gets the consult it
   * is in again, so a reloaded app shows it and can complete or cancel it. While talking, its
   * audio peer was lost with the page: the attempt goes up and both agents get the state, so
   * both apps make a new peer (the call's agent offers again).
   */
  reconnected(userId: string, connection: { send(frame: ServerMessageOf<'consult.state'>): void }): void {
    const consult = this.involving(userId);
    const live = consult ? this.core.live.get(consult.interactionId) : undefined;
    if (!consult || !live) return;
    if (consult.state !== 'talking') return connection.send({ type: 'consult.state', consult: this.view(consult, live, consult.state) });
    consult.attempt++;
    // Kept for a takeover: the apps drop a peer whose attempt is not the newest they saw.
    const { id, attempt } = consult;
    void this.core.background('consult attempt', () => this.store.changed(id, { attempt }));
    this.tell(consult, live);
  }

  /**
   * At start-up, before the interactions are recovered: the consults the previous process left in
   * progress come back into memory and the agents consulted are held in routing again, so that no
   * customer queueing again in recovery is offered to them, and a call that recovery ends ends its
   * consult as usual (which releases the hold).
   */
  async load(): Promise<void> {
    const now = this.core.now();
    for (const consult of await this.store.listOpen()) {
      this.byId.set(consult.id, consult);
      await this.core.apply(this.core.engine.holdForConsult(consult.toUserId, now.getTime()), now);
    }
  }

  /**
   * After recovery: a consult whose call went on with the same agent (several nodes, a takeover)
   * stays; both apps get it when they reconnect. Any other ends with its call.
   */
  async resume(): Promise<void> {
    for (const consult of [...this.byId.values()]) {
      const live = this.core.live.get(consult.interactionId);
      if (!live || live.kind !== 'call' || live.status !== 'active' || live.agentId !== consult.fromUserId) await this.finish(consult, 'call_ended', null);
    }
  }

  private async finish(consult: Consult, reason: NonNullable<ConsultView['reason']>, byUserId: string | null): Promise<void> {
    if (!this.byId.delete(consult.id)) return;
    const now = this.core.now();
    await this.store.ended(consult.id, reason, now);
    const live = this.core.live.get(consult.interactionId);
    const actor = byUserId ? await this.core.actor(byUserId) : null;
    await this.core.repo.addEvent(consult.interactionId, 'consult_cancelled', now, actor, { consultId: consult.id, reason });
    await this.core.deps.audit.append({
      actor,
      action: AuditAction.consultCancelled,
      target: consult.interactionId,
      details: { interactionId: consult.interactionId, consultId: consult.id, reason },
    });
    if (live && reason !== 'call_ended' && live.status === 'active' && live.agentId === consult.fromUserId && !consult.wasHeld) {
      await this.setHold(live, false, await this.core.actor(consult.fromUserId), now);
    }
    const view: ConsultView = {
      id: consult.id,
      interactionId: consult.interactionId,
      queueName: live ? (this.core.queues.get(live.queueId)?.name ?? '') : '',
      state: 'cancelled',
      fromUserId: consult.fromUserId,
      fromName: this.core.displayName(consult.fromUserId),
      toUserId: consult.toUserId,
      toName: this.core.displayName(consult.toUserId),
      reason,
    };
    for (const id of [consult.fromUserId, consult.toUserId]) this.core.hub.sendTo(id, { type: 'consult.state', consult: view });
    // Room for a call again (after they heard it ended): work waiting for the agent consulted may be offered at once.
    await this.core.apply(this.core.engine.releaseConsult(consult.toUserId, now.getTime()), now);
  }

  /** Hold as call.hold does it: the timeline, the customer's state line, the agent's copy. */
  private async setHold(live: LiveInteraction, held: boolean, actor: { id: string; username: string }, now: Date): Promise<void> {
    if (live.onHold !== held) {
      live.onHold = held;
      await this.core.repo.update(live.id, { on_hold: held ? 1 : 0 });
      await this.core.repo.addEvent(live.id, held ? 'held' : 'resumed', now, actor, { consult: true });
      this.core.pushCustomerState(live);
      this.core.changed();
    }
    await this.core.sendUpdated(live.id, live.agentId);
  }

  private require(principal: Principal, consultId: string): { consult: Consult; live: LiveInteraction } {
    const consult = this.byId.get(consultId);
    if (!consult) throw new DomainError('not_found', `No consult ${consultId} in progress.`);
    if (principal.id !== consult.fromUserId && principal.id !== consult.toUserId) throw new DomainError('not_found', `No consult ${consultId} in progress.`);
    const live = this.core.live.get(consult.interactionId);
    if (!live) throw refuse.conflict('The call has ended.');
    return { consult, live };
  }

  private ofInteraction(interactionId: string): Consult | undefined {
    for (const c of this.byId.values()) if (c.interactionId === interactionId) return c;
    return undefined;
  }

  private involving(userId: string): Consult | undefined {
    for (const c of this.byId.values()) if (c.fromUserId === userId || c.toUserId === userId) return c;
    return undefined;
  }

  private view(consult: Consult, live: LiveInteraction, state: ConsultView['state']): ConsultView {
    return {
      id: consult.id,
      interactionId: consult.interactionId,
      queueName: this.core.queues.get(live.queueId)?.name ?? '',
      state,
      fromUserId: consult.fromUserId,
      fromName: this.core.displayName(consult.fromUserId),
      toUserId: consult.toUserId,
      toName: this.core.displayName(consult.toUserId),
      attempt: consult.attempt,
    };
  }

  private tell(consult: Consult, live: LiveInteraction): void {
    this.send(consult, live, consult.state);
  }

  private send(consult: Consult, live: LiveInteraction, state: ConsultView['state']): void {
    const frame = { type: 'consult.state' as const, consult: this.view(consult, live, state) };
    for (const id of [consult.fromUserId, consult.toUserId]) this.core.hub.sendTo(id, frame);
  }
}
