import { assign, handOver, holdForConsult, holdsNothing, releaseAssigned, releaseConsult, restore, type EngineMoves } from './assignment';
import { DeadlineHeap, type Deadline } from './deadline-heap';
import {
  averageHandleTime,
  canTakeAny,
  eligible,
  emptyOutcome,
  fits,
  KINDS,
  newAgentState,
  newQueueState,
  ranksBefore,
  snapshotOf,
  type AgentState,
  type ItemState,
  type QueueState,
} from './engine-state';
import { isBefore } from './ordered-list';
import {
  DEFAULT_OFFER_TIMEOUT_MS,
  type AcceptResult,
  type AgentStatus,
  type Offer,
  type QueueDef,
  type RoutingConfig,
  type RoutingOutcome,
  type RoutingSnapshot,
  type TransferTargetCheck,
  type WithdrawReason,
  type WorkItem,
  type WorkKind,
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
 * The commands below and the private offer moves keep that invariant together. What happens to an
 * agent's load once work is theirs (assignment, hand-over, release, consult hold) is in
 * assignment.ts, which calls back into the offer moves through `moves`; the per-agent and per-queue
 * bookkeeping they share is in engine-state.ts.
 */

export class RoutingEngine {
  private readonly config: RoutingConfig;
  private readonly queues = new Map<string, QueueState>();
  private readonly agents = new Map<string, AgentState>();
  private readonly items = new Map<string, ItemState>();
  private readonly deadlines = new DeadlineHeap();
  private seq = 0;
  private tokens = 0;
  private dirty = false;
  /** The engine's internals as the assignment moves (assignment.ts) use them. */
  private readonly moves: EngineMoves = {
    items: this.items,
    chatCapacity: () => this.config.chatCapacity,
    agentFor: (id) => this.agentFor(id),
    queueFor: (id) => this.queueFor(id),
    touchIdle: (a, now) => this.touchIdle(a, now),
    agentScan: (a, now, out) => this.agentScan(a, now, out),
    endOffer: (s, reason, now, out) => this.endOffer(s, reason, now, out),
  };

  constructor(config: RoutingConfig, queues: QueueDef[]) {
    this.config = { ...config };
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
      const q = this.queueFor(def.id);
      q.def = { ...def, memberIds: [...def.memberIds] };
      q.members = [...new Set(def.memberIds)].map((id) => this.agentFor(id));
    }
    for (const q of this.queues.values()) {
      if (!seen.has(q.id)) {
        q.def = null;
        q.members = [];
      }
    }
    for (const a of this.agents.values()) a.queues = [];
    for (const q of this.queues.values()) for (const a of q.members) a.queues.push(q);
    // A queue's own chat capacity may have changed: each agent's, and so who is free, with it.
    for (const a of this.agents.values()) {
      a.chatCap = a.queues.length > 0 ? Math.max(...a.queues.map((q) => this.capOf(q))) : this.config.chatCapacity;
      a.free = canTakeAny(a, a.chatCap);
    }
    for (const q of this.queues.values()) {
      q.free.clear();
      for (const a of q.members) if (a.free) q.free.add(a);
    }
    this.dirty = true;
  }

  /** Offers whatever setQueues() made possible: free agents, longest idle first, take their oldest work. */
  reconcile(now: number): RoutingOutcome {
    const out = emptyOutcome();
    this.dirty = false;
    const free = [...this.agents.values()]
      .filter((a) => canTakeAny(a, a.chatCap))
      .sort((a, b) => (ranksBefore(a, b, null) ? -1 : ranksBefore(b, a, null) ? 1 : 0));
    for (const a of free) this.agentScan(a, now, out);
    return out;
  }

  /** Presence/wrap-up change. Unavailable with a pending offer → withdrawn 'unavailable' and re-offered elsewhere. Becoming free starts idle time. */
  setAgentStatus(agentId: string, status: AgentStatus, now: number): RoutingOutcome {
    const out = this.begin(now);
    const a = this.agentFor(agentId);
    a.available = status.available;
    a.inWrapup = status.inWrapup;
    this.touchIdle(a, now);
    // R6: away, offline or wrap-up takes back the pending offer.
    if (a.offer && !(a.available && !a.inWrapup)) this.endOffer(a.offer, 'unavailable', now, out);
    else this.agentScan(a, now, out);
    return out;
  }

  /**
   * New (or transferred) interaction waits in its queue; may be offered at once. targetAgentId: blind
   * transfer to one agent: offered only to that agent; if they decline or let it time out (or are not
   * eligible within the offer timeout), it falls back to any member of its queue.
   * An id already being routed is a caller bug and throws (a transfer releases first).
   */
  enqueue(item: WorkItem, now: number): RoutingOutcome {
    if (this.items.has(item.id)) throw new Error(`routing: interaction ${item.id} is already routed`);
    const out = this.begin(now);
    const q = this.queueFor(item.queueId);
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
    this.items.set(s.id, s);
    q.waiting.insert(s);
    if (s.target !== null) {
      // R8: the window in which the target must become eligible; nextDeadline() includes it.
      s.targetToken = ++this.tokens;
      this.deadlines.push({ at: now + this.timeoutOf(q), kind: 'target', interactionId: s.id, token: s.targetToken });
      this.agentFor(s.target).targeted.insert(s);
    } else {
      q.ready[s.kind].insert(s);
    }
    this.place(s, null, now, out);
    return out;
  }

  /** R7: the offer becomes an assignment; the agent may then be offered more (another chat). */
  accept(interactionId: string, agentId: string, now: number): AcceptResult {
    const s = this.items.get(interactionId);
    if (!s) return { ok: false, reason: 'unknown' };
    if (!this.isOfferedTo(s, agentId, now)) return { ok: false, reason: 'not_offered' };
    const out = this.begin(now);
    assign(this.moves, s, this.agentFor(agentId), now, out);
    return { ok: true, outcome: out };
  }

  /**
   * An assignment made before this engine existed (another node decided it, then died): the item
   * is held by the agent as if accepted, counting against their capacity. Used when a node takes
   * over the routing lease and resumes the chats in progress.
   */
  restoreAssigned(item: WorkItem, agentId: string, acceptedAt: number): void {
    if (this.items.has(item.id)) throw new Error(`routing: interaction ${item.id} is already routed`);
    restore(this.moves, item, agentId, acceptedAt, ++this.seq);
    this.dirty = true;
  }

  /** R4/R5: the item goes to the next agent; this agent only gets it back if nobody else can. */
  decline(interactionId: string, agentId: string, now: number): AcceptResult {
    const s = this.items.get(interactionId);
    if (!s) return { ok: false, reason: 'unknown' };
    if (!this.isOfferedTo(s, agentId, now)) return { ok: false, reason: 'not_offered' };
    const out = this.begin(now);
    this.endOffer(s, 'declined', now, out);
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
    for (let d = this.deadlines.peek(); d !== undefined && d.at <= now; d = this.deadlines.peek()) {
      this.deadlines.pop();
      due.push(d);
    }
    for (const d of due) {
      const s = this.items.get(d.interactionId);
      if (!s || !this.isLive(d, s)) continue;
      if (d.kind === 'offer') this.endOffer(s, 'timeout', now, out);
      else this.fallBack(s, now, out);
    }
    return out;
  }

  /**
   * The customer left while waiting or being offered: drop it (withdraw a pending offer with
   * 'customer_left'). An accepted interaction is released instead. Unknown ids are ignored.
   */
  remove(interactionId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    const s = this.items.get(interactionId);
    if (!s) return out;
    if (s.phase === 'assigned') releaseAssigned(this.moves, s, now, false, out);
    else if (s.phase === 'offered') this.endOffer(s, 'customer_left', now, out);
    else this.drop(s);
    return out;
  }

  /**
   * An accepted interaction ended: frees the agent's capacity (the caller then marks wrap-up through
   * setAgentStatus). With opts.wrapup the agent enters wrap-up in the same step, so the freed
   * capacity is not offered first and withdrawn a moment later (same as calling setAgentStatus with
   * inWrapup before release). A not-yet-accepted id is dropped as by remove(); unknown ids are ignored.
   */
  release(interactionId: string, now: number, opts?: { wrapup?: boolean }): RoutingOutcome {
    const s = this.items.get(interactionId);
    if (!s || s.phase !== 'assigned') return this.remove(interactionId, now);
    const out = this.begin(now);
    releaseAssigned(this.moves, s, now, opts?.wrapup === true, out);
    return out;
  }

  /**
   * A supervisor moves a waiting or offered item (board move): a pending offer is withdrawn with
   * 'moved' and the item is forgotten, so the caller can enqueue it anew (another queue or agent).
   * Returns null when the item is not waiting or offered (assigned ones are released instead).
   */
  pull(interactionId: string, now: number): RoutingOutcome | null {
    const s = this.items.get(interactionId);
    if (!s || s.phase === 'assigned') return null;
    const out = this.begin(now);
    if (s.phase === 'offered') this.endOffer(s, 'moved', now, out);
    else this.drop(s);
    return out;
  }

  /**
   * Consult transfer completed: the assigned item goes straight to another agent, without an offer
   * (they already agreed on the consult call); their consult hold becomes the call. The first
   * agent's capacity is freed; an offer the new agent still had that no longer fits is withdrawn
   * ('unavailable').
   */
  handOver(interactionId: string, toAgentId: string, now: number): RoutingOutcome | null {
    const s = this.items.get(interactionId);
    if (!s || s.phase !== 'assigned' || s.assignedTo === null || s.assignedTo === toAgentId) return null;
    const out = this.begin(now);
    handOver(this.moves, s, toAgentId, now, out);
    return out;
  }

  /**
   * A consult rings for this agent (the agent consulted): until releaseConsult() or handOver() it
   * counts as a call in progress (R3), so no call is offered to them; a call offer they had is
   * withdrawn ('unavailable'). Chats go on as beside any call.
   */
  holdForConsult(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    holdForConsult(this.moves, agentId, now, out);
    return out;
  }

  /** The consult ended without a hand-over: the agent has room for a call again (and may be offered one at once). */
  releaseConsult(agentId: string, now: number): RoutingOutcome {
    const out = this.begin(now);
    releaseConsult(this.moves, agentId, now, out);
    return out;
  }

  /** 1-based position among waiting (not yet accepted) items of its queue, or null if not waiting. */
  position(interactionId: string): number | null {
    const s = this.items.get(interactionId);
    if (!s || s.phase === 'assigned') return null;
    const rank = this.queueFor(s.queueId).waiting.rank(s);
    return rank < 0 ? null : rank + 1;
  }

  /**
   * Earliest expiresAt of all pending offers, so the caller can set one timer. Blind-transfer
   * windows count too: at their end expireOffers() falls the item back to its queue.
   */
  nextDeadline(): number | null {
    for (let d = this.deadlines.peek(); d !== undefined; d = this.deadlines.peek()) {
      const s = this.items.get(d.interactionId);
      if (s && this.isLive(d, s)) return d.at;
      this.deadlines.pop(); // stale: the offer was answered or the window closed
    }
    return null;
  }

  /**
   * Whether a blind transfer may name this agent now (checked before R8 routes it): available, not
   * in wrap-up, and room for the kind (R3 capacity). A pending offer does not matter: the transfer
   * waits for the target until that offer is answered.
   */
  transferTargetCheck(agentId: string, kind: WorkKind): TransferTargetCheck {
    const a = this.agents.get(agentId);
    if (!a?.available) return 'unavailable';
    if (a.inWrapup) return 'in_wrapup';
    if (!fits(a, kind, a.chatCap)) return 'no_capacity';
    return 'ok';
  }

  /** For the live board: per queue waiting count + oldest enqueuedAt; per agent: chats, onCall, pending offer id, idleSince. */
  snapshot(): RoutingSnapshot {
    return snapshotOf(this.queues.values(), this.agents.values());
  }

  /** Estimated wait in seconds for a waiting item: position × average handle time ÷ max(1, members signed in), rounded up (R10). */
  estimatedWaitSeconds(interactionId: string, _now: number): number | null {
    const position = this.position(interactionId);
    const s = this.items.get(interactionId);
    if (position === null || !s) return null;
    const q = this.queueFor(s.queueId);
    const aht = averageHandleTime(q);
    let signedIn = 0;
    for (const a of q.members) if (a.available) signedIn++;
    return Math.ceil((position * aht) / 1000 / Math.max(1, signedIn));
  }

  /** Average handle time of a queue in ms (rolling mean of release − accept; default 120 s). */
  averageHandleTimeMs(queueId: string): number {
    return averageHandleTime(this.queues.get(queueId));
  }

  // ---- internals ---------------------------------------------------------------------------------

  private begin(now: number): RoutingOutcome {
    return this.dirty ? this.reconcile(now) : emptyOutcome();
  }

  private queueFor(id: string): QueueState {
    let q = this.queues.get(id);
    if (!q) {
      q = newQueueState(id);
      this.queues.set(id, q);
    }
    return q;
  }

  /** R3 for one queue's chats: its own capacity, else the engine's. */
  private capOf(q: QueueState): number {
    return q.def?.chatCapacity ?? this.config.chatCapacity;
  }

  private agentFor(id: string): AgentState {
    let a = this.agents.get(id);
    if (!a) {
      a = newAgentState(id, this.config.chatCapacity);
      this.agents.set(id, a);
    }
    return a;
  }

  private timeoutOf(q: QueueState): number {
    return q.def?.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS;
  }

  /** After a status or load change. R2: idleSince is set when the agent becomes free and cleared while they are not. */
  private touchIdle(a: AgentState, now: number): void {
    const free = a.available && !a.inWrapup && holdsNothing(a);
    if (!free) a.idleSince = null;
    else if (a.idleSince === null) a.idleSince = now;
    this.syncFree(a);
  }

  /** Keeps the queues' free sets in step with the agent; called after every change to it. */
  private syncFree(a: AgentState): void {
    const free = canTakeAny(a, a.chatCap);
    if (free === a.free) return;
    a.free = free;
    for (const q of a.queues) {
      if (free) q.free.add(a);
      else q.free.delete(a);
    }
  }

  private isOfferedTo(s: ItemState, agentId: string, now: number): boolean {
    // At or after expiresAt the offer is over even if expireOffers() has not run yet (R7).
    return s.phase === 'offered' && s.offer !== null && s.offer.agentId === agentId && now < s.offer.expiresAt;
  }

  private isLive(d: Deadline, s: ItemState): boolean {
    if (d.kind === 'offer') return s.phase === 'offered' && s.offerToken === d.token;
    return s.phase === 'waiting' && s.target !== null && s.targetToken === d.token;
  }

  /** Best eligible agent for an offerable item: its blind-transfer target, or a member of its queue. */
  private bestAgentFor(s: ItemState, exclude: AgentState | null): AgentState | null {
    if (s.target !== null) {
      const t = this.agents.get(s.target);
      return t && t !== exclude && eligible(t, s.kind, t.chatCap) ? t : null;
    }
    let best: AgentState | null = null;
    const queue = this.queueFor(s.queueId);
    const cap = this.capOf(queue);
    for (const a of queue.free) {
      if (a === exclude || !eligible(a, s.kind, cap)) continue;
      if (best === null || ranksBefore(a, best, s)) best = a;
    }
    return best;
  }

  /** Offers an offerable item to the best agent other than `exclude`, if there is one. */
  private place(s: ItemState, exclude: AgentState | null, now: number, out: RoutingOutcome): void {
    const a = this.bestAgentFor(s, exclude);
    if (a) this.makeOffer(s, a, now, out);
  }

  private makeOffer(s: ItemState, a: AgentState, now: number, out: RoutingOutcome): void {
    const q = this.queueFor(s.queueId);
    if (s.target !== null) this.agentFor(s.target).targeted.remove(s);
    else q.ready[s.kind].remove(s);
    const offer: Offer = { interactionId: s.id, agentId: a.id, queueId: s.queueId, offeredAt: now, expiresAt: now + this.timeoutOf(q) };
    s.phase = 'offered';
    s.offer = offer;
    s.offerToken = ++this.tokens;
    a.offer = s;
    this.syncFree(a);
    this.deadlines.push({ at: offer.expiresAt, kind: 'offer', interactionId: s.id, token: s.offerToken });
    out.offers.push({ ...offer });
  }

  /**
   * A free agent takes work: blind transfers to them first (R8), else the oldest item across their
   * queues that fits their capacity (R1), items they turned down last (R5). Only the FIFO heads are
   * read: by the invariant nobody else could take those items.
   */
  private agentScan(a: AgentState, now: number, out: RoutingOutcome): void {
    while (canTakeAny(a, a.chatCap)) {
      for (const t of a.targeted) {
        if (fits(a, t.kind, a.chatCap)) {
          this.makeOffer(t, a, now, out);
          return;
        }
      }
      let fresh: ItemState | null = null;
      let passed: ItemState | null = null;
      for (const q of a.queues) {
        for (const kind of KINDS) {
          if (!fits(a, kind, this.capOf(q))) continue;
          for (const s of q.ready[kind]) {
            if (s.passedBy?.has(a.id)) {
              if (passed === null || isBefore(s, passed)) passed = s;
              continue;
            }
            if (fresh === null || isBefore(s, fresh)) fresh = s;
            break;
          }
        }
      }
      if (fresh) {
        this.makeOffer(fresh, a, now, out);
        return;
      }
      if (!passed) return;
      // R5: someone else who can take it gets it; this agent only if nobody else can.
      const best = this.bestAgentFor(passed, null) ?? a;
      this.makeOffer(passed, best, now, out);
      if (best === a) return;
    }
  }

  /** Ends a pending offer (R4, R5, R6) and moves the item on. */
  private endOffer(s: ItemState, reason: WithdrawReason, now: number, out: RoutingOutcome): void {
    const offer = s.offer;
    if (!offer) return;
    const a = this.agentFor(offer.agentId);
    out.withdrawn.push({ interactionId: s.id, agentId: a.id, reason });
    s.offer = null;
    s.phase = 'waiting';
    a.offer = null;
    this.syncFree(a);
    if (reason === 'customer_left' || reason === 'moved') {
      this.drop(s);
      this.agentScan(a, now, out);
      return;
    }
    const passed = reason === 'timeout' || reason === 'declined';
    if (passed) (s.passedBy ??= new Set()).add(a.id);
    // A blind transfer that was offered and not taken falls back to the queue (R8).
    s.target = null;
    this.queueFor(s.queueId).ready[s.kind].insert(s);
    this.place(s, passed ? a : null, now, out);
    this.agentScan(a, now, out);
  }

  /** R8: the target was not eligible within the window; the item joins its queue. */
  private fallBack(s: ItemState, now: number, out: RoutingOutcome): void {
    if (s.target === null) return;
    this.agentFor(s.target).targeted.remove(s);
    s.target = null;
    this.queueFor(s.queueId).ready[s.kind].insert(s);
    this.place(s, null, now, out);
  }

  /** Forgets a waiting, un-offered item. */
  private drop(s: ItemState): void {
    const q = this.queueFor(s.queueId);
    q.waiting.remove(s);
    if (s.target !== null) this.agentFor(s.target).targeted.remove(s);
    else q.ready[s.kind].remove(s);
    this.items.delete(s.id);
  }

}
