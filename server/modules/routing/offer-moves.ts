import type { Deadline } from './deadline-heap';
import {
  agentFor,
  canTakeAny,
  capOf,
  eligible,
  fits,
  KINDS,
  queueFor,
  ranksBefore,
  syncFree,
  timeoutOf,
  type AgentState,
  type EngineState,
  type ItemState,
} from './engine-state';
import { isBefore } from './ordered-list';
import type { Offer, RoutingOutcome, WithdrawReason } from './types';

/*
 * The routing engine's offer half: who is offered what (R1–R6, R8, R9; the rules are listed in
 * routing-engine.ts), how an offer or a blind transfer's window ends and where the item goes then,
 * and forgetting waiting work. These moves keep the engine's invariant (no waiting, un-offered item
 * has an eligible agent) without scanning all waiting work: an item that becomes offerable reads
 * only its queue's free set (place), an agent who becomes free reads only the heads of their
 * queues' FIFOs (agentScan). routing-engine.ts and assignment.ts call them after each change.
 */

/** R7: offered to this agent and not yet over, even if expireOffers() has not run yet. */
export function isOfferedTo(s: ItemState, agentId: string, now: number): boolean {
  return s.phase === 'offered' && s.offer !== null && s.offer.agentId === agentId && now < s.offer.expiresAt;
}

/** Whether a deadline is still owed: its offer is pending, or its transfer window is still open. */
export function isLive(d: Deadline, s: ItemState): boolean {
  if (d.kind === 'offer') return s.phase === 'offered' && s.offerToken === d.token;
  return s.phase === 'waiting' && s.target !== null && s.targetToken === d.token;
}

/** Offers an offerable item to the best agent other than `exclude`, if there is one. */
export function place(st: EngineState, s: ItemState, exclude: AgentState | null, now: number, out: RoutingOutcome): void {
  const a = bestAgentFor(st, s, exclude);
  if (a) makeOffer(st, s, a, now, out);
}

/**
 * A free agent takes work: blind transfers to them first (R8), else the oldest item across their
 * queues that fits their capacity (R1), items they turned down last (R5). Only the FIFO heads are
 * read: by the invariant nobody else could take those items.
 */
export function agentScan(st: EngineState, a: AgentState, now: number, out: RoutingOutcome): void {
  while (canTakeAny(a, a.chatCap)) {
    for (const t of a.targeted) {
      if (fits(a, t.kind, a.chatCap)) {
        makeOffer(st, t, a, now, out);
        return;
      }
    }
    let fresh: ItemState | null = null;
    let passed: ItemState | null = null;
    for (const q of a.queues) {
      for (const kind of KINDS) {
        if (!fits(a, kind, capOf(st, q))) continue;
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
      makeOffer(st, fresh, a, now, out);
      return;
    }
    if (!passed) return;
    // R5: someone else who can take it gets it; this agent only if nobody else can.
    const best = bestAgentFor(st, passed, null) ?? a;
    makeOffer(st, passed, best, now, out);
    if (best === a) return;
  }
}

/** Ends a pending offer (R4, R5, R6) and moves the item on. */
export function endOffer(st: EngineState, s: ItemState, reason: WithdrawReason, now: number, out: RoutingOutcome): void {
  const offer = s.offer;
  if (!offer) return;
  const a = agentFor(st, offer.agentId);
  out.withdrawn.push({ interactionId: s.id, agentId: a.id, reason });
  s.offer = null;
  s.phase = 'waiting';
  a.offer = null;
  syncFree(a);
  if (reason === 'customer_left' || reason === 'moved') {
    drop(st, s);
    agentScan(st, a, now, out);
    return;
  }
  const passed = reason === 'timeout' || reason === 'declined';
  if (passed) (s.passedBy ??= new Set()).add(a.id);
  // A blind transfer that was offered and not taken falls back to the queue (R8).
  s.target = null;
  queueFor(st, s.queueId).ready[s.kind].insert(s);
  place(st, s, passed ? a : null, now, out);
  agentScan(st, a, now, out);
}

/** R8: the target was not eligible within the window; the item joins its queue. */
export function fallBack(st: EngineState, s: ItemState, now: number, out: RoutingOutcome): void {
  if (s.target === null) return;
  agentFor(st, s.target).targeted.remove(s);
  s.target = null;
  queueFor(st, s.queueId).ready[s.kind].insert(s);
  place(st, s, null, now, out);
}

/** Forgets a waiting, un-offered item. */
export function drop(st: EngineState, s: ItemState): void {
  const q = queueFor(st, s.queueId);
  q.waiting.remove(s);
  if (s.target !== null) agentFor(st, s.target).targeted.remove(s);
  else q.ready[s.kind].remove(s);
  st.items.delete(s.id);
}

/** Best eligible agent for an offerable item: its blind-transfer target, or a member of its queue. */
function bestAgentFor(st: EngineState, s: ItemState, exclude: AgentState | null): AgentState | null {
  if (s.target !== null) {
    const t = st.agents.get(s.target);
    return t && t !== exclude && eligible(t, s.kind, t.chatCap) ? t : null;
  }
  let best: AgentState | null = null;
  const queue = queueFor(st, s.queueId);
  const cap = capOf(st, queue);
  for (const a of queue.free) {
    if (a === exclude || !eligible(a, s.kind, cap)) continue;
    if (best === null || ranksBefore(a, best, s)) best = a;
  }
  return best;
}

function makeOffer(st: EngineState, s: ItemState, a: AgentState, now: number, out: RoutingOutcome): void {
  const q = queueFor(st, s.queueId);
  if (s.target !== null) agentFor(st, s.target).targeted.remove(s);
  else q.ready[s.kind].remove(s);
  const offer: Offer = { interactionId: s.id, agentId: a.id, queueId: s.queueId, offeredAt: now, expiresAt: now + timeoutOf(q) };
  s.phase = 'offered';
  s.offer = offer;
  s.offerToken = ++st.tokens;
  a.offer = s;
  syncFree(a);
  st.deadlines.push({ at: offer.expiresAt, kind: 'offer', interactionId: s.id, token: s.offerToken });
  out.offers.push({ ...offer });
}
