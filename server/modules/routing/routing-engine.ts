import { assign, handOver, holdForConsult, releaseAssigned, releaseConsult, restore } from './assignment';
import type { Deadline } from './deadline-heap';
import {
  agentFor,
  averageHandleTime,
  canTakeAny,
  capOf,
  emptyOutcome,
  fits,
  newEngineState,
  queueFor,
  ranksBefore,
  snapshotOf,
  timeoutOf,
  touchIdle,
  type EngineState,
  type ItemState,
} from './engine-state';
import { agentScan, drop, endOffer, fallBack, isLive, isOfferedTo, place } from './offer-moves';
import type {
  AcceptResult,
  AgentStatus,
  QueueDef,
  RoutingConfig,
  RoutingOutcome,
  RoutingSnapshot,
  TransferTargetCheck,
  WorkItem,
  WorkKind,
} from './types';

/*
 * Routing rules (each one is unit-tested in test/unit/server/routing):
 *
 * R1  FIFO per queue: an interaction waits in its queue ordered by enqueuedAt (then arrival order).
 *     Across queues, when one agent could take several, the oldest goes first.
 * R2  Longest idle: an interaction goes to the eligible member idle longest. idleSince = when the
 *     agent last became free (available, not in wrap-up, holding nothing): became available, finished
 *     wrap-up, or released their last interaction. Agents already holding work rank after free ones,
 *     fewer interactions first, then the one whose last assignment is oldest.
 * R3  Eligible = member of the queue, available and not in wrap-up, no pending offer (one offer at a
 *     time per agent), and capacity: a chat needs chats < chatCapacity, a call needs no call in
 *     progress (chats and one call may run side by side; the capacity rule says nothing against it).
 *     A consult the agent is asked into (ringing or talking) counts as a call in progress
 *     (holdForConsult .. releaseConsult or handOver).
 * R4  An offer expires after the queue's offerTimeoutMs (expiresAt <= now) and goes to the next
 *     agent; a decline does too.
 * R5  An agent who declined or let an item time out is not offered that item again while another
 *     eligible agent exists; if they are the only one they may get it again, but an agent is given
 *     items they have not turned down first.
 * R6  An agent who becomes unavailable, or enters wrap-up, with a pending offer loses it
 *     ('unavailable') and it goes to the next agent.
 * R7  Accept turns the offer into an assignment (chats+1 or onCall). Accepting an item not offered
 *     to this agent, twice, at or after expiresAt, or after it moved on, is refused.
 * R8  Blind transfer (targetAgentId): offered only to that agent (membership not needed), ahead of
 *     their queue work. If they decline, let it time out, become unavailable while offered, or are
 *     not eligible within the queue's offerTimeoutMs, it falls back to any member of its queue.
 * R9  Work nobody can take waits; it is offered the moment someone becomes eligible.
 * R10 Position = 1-based rank among the queue's not-yet-accepted items (offered ones included).
 *     Estimated wait = position × average handle time (rolling mean of release − accept over the
 *     queue's last HANDLE_WINDOW releases, 120 s before any) ÷ max(1, members signed in).
 *
 * Invariant after every public call (the reason no call scans all waiting work): no waiting,
 * un-offered item has an eligible agent. So when one item becomes offerable only its queue's members
 * (only those who could take some work: the queue's free set) are read, and when one agent becomes
 * free only the heads of its queues' FIFOs are looked at.
 * setQueues() may break the invariant; the next call (or reconcile()) restores it.
 *
 * The commands below keep that invariant together with the offer moves (offer-moves.ts: who is
 * offered what, how an offer or a transfer window ends) and the assignment moves (assignment.ts: an
 * agent's load once work is theirs: assignment, hand-over, release, consult hold), which end with
 * the offer moves. The state they share, and the rules that read one agent or one queue, are in
 * engine-state.ts.
 */

export class RoutingEngine {
  private readonly st: EngineState;
  private seq = 0;
  private dirty = false;

  constructor(config: RoutingConfig, queues: QueueDef[]) {
    this.st = newEngineState(config);
    this.setQueues(queues);
  }

  /**
   * Replaces the queue definitions. Items of a queue that disappears keep waiting (no members) until
   * it comes back. Pending offers are left alone. New possibilities (a new member who is free) are
   * offered by reconcile(), which the next outcome-producing call runs first if the caller does not.
   */
  setQueues(queues: QueueDef[]): void {
    const seen = new Set<string>();
    for (const def of queues) {
      seen.add(def.id);
      const q = queueFor(this.st, def.id);
      q.def = { ...def, memberIds: [...def.memberIds] };
      q.members = [...new Set(def.memberIds)].map((id) => agentFor(this.st, id));
    }
    for (const q of this.st.queues.values()) {
      if (!seen.has(q.id)) {
        q.def = null;
        q.members = [];
      }
    }
    for (const a of this.st.agents.values()) a.queues = [];
    for (const q of this.st.queues.values()) for (const a of q.members) a.queues.push(q);
    // A queue's own chat capacity may have changed: each agent's, and so who is free, with it.
    for (const a of this.st.agents.values()) {
      a.chatCap = a.queues.length > 0 ? Math.max(...a.queues.map((q) => capOf(this.st, q))) : this.st.config.chatCapacity;
      a.free = canTakeAny(a, a.chatCap);
    }
    for (const q of this.st.queues.values()) {
      q.free.clear();
      for (const a of q.members) if (a.free) q.free.add(a);
    }
    this.dirty = true;
  }

  /** Offers whatever setQueues() made possible: free agents, longest idle first, take their oldest work. */
  reconcile(now: number): RoutingOutcome {
    const out = emptyOutcome();
    this.dirty = false;
    const free = [...this.st.agents.values()]
      .filter((a) => canTakeAny(a, a.chatCap))
      .sort((a, b) => (ranksBefore(a, b, null) ? -1 : ranksBefore(b, a, null) ? 1 : 0));
    for (const a of free) agentScan(this.st, a, now, out);
    return out;
  }

  /** Presence/wrap-up change. Unavailable with a pending offer → withdrawn 'unavailable' and re-offered elsewhere. Becoming free starts idle time. */
  setAgentStatus(agentId: string, status: AgentStatus, now: number): RoutingOutcome {
    const out = this.begin(now);
    const a = agentFor(this.st, agentId);
    a.available = status.available;
    a.inWrapup = status.inWrapup;
    touchIdle(a, now);
    // R6: away, offline or wrap-up takes back the pending offer.
    if (a.offer && !(a.available && !a.inWrapup)) endOffer(this.st, a.offer, 'unavailable', now, out);
    else agentScan(this.st, a, now, out);
    return out;
  }

  /**
   * New (or transferred) interaction waits in its queue; may be offered at once. targetAgentId: blind
   * transfer to one agent: offered only to that agent; if they decline or let it time out (or are not
   * eligible within the offer timeout), it falls back to any member of its queue.
   * An id already being routed is a caller bug and throws (a transfer releases first).
   */
  enqueue(item: WorkItem, now: number): RoutingOutcome {
    if (this.st.items.has(item.id)) throw new Error(`routing: interaction ${item.id} is already routed`);
    const out = this.begin(now);
    const q = queueFor(this.st, item.queueId);
    const s: ItemState = {
      id: item.id,
      kind: item.kind,
      queueId: item.queueId,
      enqueuedAt: item.enqueuedAt,
      seq: ++this.seq,
      phase: 'waiting',
      target: item.targetAgentId ?? null,
      targetToken: 0,
      offer: null,
      offerToken: 0,
      assignedTo: null,
      acceptedAt: 0,
      passedBy: null,
    };
    this.st.items.set(s.id, s);
    q.waiting.insert(s);
    if (s.target !== null) {
      // R8: the window in which the target must become eligible; nextDeadline() includes it.
      s.targetToken = ++this.st.tokens;
      this.st.deadlines.push({ at: now + timeoutOf(q), kind: 'target', interactionId: s.id, token: s.targetToken });
      agentFor(this.st, s.target).targeted.insert(s);
    } else {
      q.ready[s.kind].insert(s);
    }
    place(this.st, s, null, now, out);
    return out;
  }

  /** R7: the offer becomes an assignment; the agent may then be offered more (another chat). */
  accept(interactionId: string, agentId: string, now: number): AcceptResult {
    const s = this.st.items.get(interactionId);
    if (!s) return { ok: false, reason: 'unknown' };
    if (!isOfferedTo(s, agentId, now)) return { ok: false, reason: 'not_offered' };
    const out = this.begin(now);
    assign(this.st, s, agentFor(this.st, agentId), now, out);
    return { ok: true, outcome: out };
  }

  /**
   * An assignment made before this engine existed (another node decided it, then died): the item
   * is held by the agent as if accepted, counting against their capacity. Used when a node takes
   * over the routing lease and resumes the chats in progress.
   */
  restoreAssigned(item: WorkItem, agentId: string, acceptedAt: number): void {
    if (this.st.items.has(item.id)) throw new Error(`routing: interaction ${item.id} is already routed`);
    restore(this.st, item, agentId, acceptedAt, ++this.seq);
    this.dirty = true;
  }

  /** R4/R5: the item goes to the next agent; this agent only gets it back if nobody else can. */
  decline(interactionId: string, agentId: string, now: number): AcceptResult {
    const s = this.st.items.get(interactionId);
    if (!s) return { ok: false, reason: 'unknown' };
    if (!isOfferedTo(s, agentId, now)) return { ok: false, reason: 'not_offered' };
    const out = this.begin(now);
    endOffer(this.st, s, 'declined', now, out);
    return { ok: true, outcome: out };
  }

  /**
   * Withdraws offers whose expiresAt <= now ('timeout') and re-offers them. Also closes blind-transfer
   * windows that ended without the target becoming eligible (R8). Offers made during this call are
   * not expired by it, even with a zero timeout.
   */
  expireOffers(now: number): RoutingOutcome {
    const out = this.begin(now);
    const due: Deadline[] = [];
    for (let d = this.st.deadlines.peek(); d !== undefined && d.at <= now; d = this.st.deadlines.peek()) {
      this.st.deadlines.pop();
      due.push(d);
    }
    for (const d of due) {
      const s = this.st.items.get(d.interactionId);
      if (!s || !isLive(d, s)) continue;
      if (d.kind === 'offer') endOffer(this.st, s, 'timeout', now, out);
      else fallBack(this.st, s, now, out);
    }
    return out;
  }

  /**
   * The customer left while waiting or being offered: drop it (withdraw a pending offer with
   * 'customer_left'). An accepted interaction is released instead. Unknown ids are ignored.
   */
  remove(interactionId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    const s = this.st.items.get(interactionId);
    if (!s) return out;
    if (s.phase === 'assigned') releaseAssigned(this.st, s, now, false, out);
    else if (s.phase === 'offered') endOffer(this.st, s, 'customer_left', now, out);
    else drop(this.st, s);
    return out;
  }

  /**
   * An accepted interaction ended: frees the agent's capacity (the caller then marks wrap-up through
   * setAgentStatus). With opts.wrapup the agent enters wrap-up in the same step, so the freed
   * capacity is not offered first and withdrawn a moment later (same as calling setAgentStatus with
   * inWrapup before release). A not-yet-accepted id is dropped as by remove(); unknown ids are ignored.
   */
  release(interactionId: string, now: number, opts?: { wrapup?: boolean }): RoutingOutcome {
    const s = this.st.items.get(interactionId);
    if (!s || s.phase !== 'assigned') return this.remove(interactionId, now);
    const out = this.begin(now);
    releaseAssigned(this.st, s, now, opts?.wrapup === true, out);
    return out;
  }

  /**
   * A supervisor moves a waiting or offered item (board move): a pending offer is withdrawn with
   * 'moved' and the item is forgotten, so the caller can enqueue it anew (another queue or agent).
   * Returns null when the item is not waiting or offered (assigned ones are released instead).
   */
  pull(interactionId: string, now: number): RoutingOutcome | null {
    const s = this.st.items.get(interactionId);
    if (!s || s.phase === 'assigned') return null;
    const out = this.begin(now);
    if (s.phase === 'offered') endOffer(this.st, s, 'moved', now, out);
    else drop(this.st, s);
    return out;
  }

  /**
   * Consult transfer completed: the assigned item goes straight to another agent, without an offer
   * (they already agreed on the consult call); their consult hold becomes the call. The first
   * agent's capacity is freed; an offer the new agent still had that no longer fits is withdrawn
   * ('unavailable').
   */
  handOver(interactionId: string, toAgentId: string, now: number): RoutingOutcome | null {
    const s = this.st.items.get(interactionId);
    if (!s || s.phase !== 'assigned' || s.assignedTo === null || s.assignedTo === toAgentId) return null;
    const out = this.begin(now);
    handOver(this.st, s, toAgentId, now, out);
    return out;
  }

  /**
   * A consult rings for this agent (the agent consulted): until releaseConsult() or handOver() it
   * counts as a call in progress (R3), so no call is offered to them; a call offer they had is
   * withdrawn ('unavailable'). Chats go on as beside any call.
   */
  holdForConsult(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    holdForConsult(this.st, agentId, now, out);
    return out;
  }

  /** The consult ended without a hand-over: the agent has room for a call again (and may be offered one at once). */
  releaseConsult(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    releaseConsult(this.st, agentId, now, out);
    return out;
  }

  /** 1-based position among waiting (not yet accepted) items of its queue, or null if not waiting. */
  position(interactionId: string): number | null {
    const s = this.st.items.get(interactionId);
    if (!s || s.phase === 'assigned') return null;
    const rank = queueFor(this.st, s.queueId).waiting.rank(s);
    return rank < 0 ? null : rank + 1;
  }

  /**
   * Earliest expiresAt of all pending offers, so the caller can set one timer. Blind-transfer
   * windows count too: at their end expireOffers() falls the item back to its queue.
   */
  nextDeadline(): number | null {
    for (let d = this.st.deadlines.peek(); d !== undefined; d = this.st.deadlines.peek()) {
      const s = this.st.items.get(d.interactionId);
      if (s && isLive(d, s)) return d.at;
      this.st.deadlines.pop(); // stale: the offer was answered or the window closed
    }
    return null;
  }

  /**
   * Whether a blind transfer may name this agent now (checked before R8 routes it): available, not
   * in wrap-up, and room for the kind (R3 capacity). A pending offer does not matter: the transfer
   * waits for the target until that offer is answered.
   */
  transferTargetCheck(agentId: string, kind: WorkKind): TransferTargetCheck {
    const a = this.st.agents.get(agentId);
    if (!a?.available) return 'unavailable';
    if (a.inWrapup) return 'in_wrapup';
    if (!fits(a, kind, a.chatCap)) return 'no_capacity';
    return 'ok';
  }

  /** For the live board: per queue waiting count + oldest enqueuedAt; per agent: chats, onCall, pending offer id, idleSince. */
  snapshot(): RoutingSnapshot {
    return snapshotOf(this.st.queues.values(), this.st.agents.values());
  }

  /** Estimated wait in seconds for a waiting item: position × average handle time ÷ max(1, members signed in), rounded up (R10). */
  estimatedWaitSeconds(interactionId: string, _now: number): number | null {
    const position = this.position(interactionId);
    const s = this.st.items.get(interactionId);
    if (position === null || !s) return null;
    const q = queueFor(this.st, s.queueId);
    const aht = averageHandleTime(q);
    let signedIn = 0;
    for (const a of q.members) if (a.available) signedIn++;
    return Math.ceil((position * aht) / 1000 / Math.max(1, signedIn));
  }

  /** Average handle time of a queue in ms (rolling mean of release − accept; default 120 s). */
  averageHandleTimeMs(queueId: string): number {
    return averageHandleTime(this.st.queues.get(queueId));
  }

  // ---- internals ---------------------------------------------------------------------------------

  private begin(now: number): RoutingOutcome {
    return this.dirty ? this.reconcile(now) : emptyOutcome();
  }
}
