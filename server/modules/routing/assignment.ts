import { agentFor, fits, queueFor, recordHandleTime, touchIdle, type AgentState, type EngineState, type ItemState } from './engine-state';
import { agentScan, endOffer } from './offer-moves';
import type { RoutingOutcome, WorkItem } from './types';

/*
 * The routing engine's assignment half: what happens to an agent's load once work is theirs
 * (accepted, restored after a node's takeover, handed over by a consult, released) and the hold a
 * consult puts on the agent consulted. routing-engine.ts calls these; they end with the offer moves
 * (offer-moves.ts: agentScan, endOffer) so the engine's invariant holds after each one: whoever
 * becomes free scans their queues' heads, whoever loses room loses an offer that no longer fits.
 */

/** R7: an offered item becomes the agent's (chats+1 or onCall); the agent may then be offered more. */
export function assign(st: EngineState, s: ItemState, a: AgentState, now: number, out: RoutingOutcome): void {
  queueFor(st, s.queueId).waiting.remove(s);
  s.phase = 'assigned';
  s.offer = null;
  s.assignedTo = a.id;
  s.acceptedAt = now;
  s.passedBy = null;
  a.offer = null;
  load(a, s, +1);
  a.lastAssignedAt = now;
  touchIdle(a, now);
  agentScan(st, a, now, out);
}

/** An assignment another node made before this engine existed, held as if accepted (see RoutingEngine.restoreAssigned). */
export function restore(st: EngineState, item: WorkItem, agentId: string, acceptedAt: number, seq: number): void {
  const a = agentFor(st, agentId);
  const s: ItemState = {
    id: item.id,
    kind: item.kind,
    queueId: item.queueId,
    enqueuedAt: item.enqueuedAt,
    seq,
    phase: 'assigned',
    target: null,
    targetToken: 0,
    offer: null,
    offerToken: 0,
    assignedTo: agentId,
    acceptedAt,
    passedBy: null,
  };
  st.items.set(item.id, s);
  queueFor(st, item.queueId);
  load(a, s, +1);
  a.lastAssignedAt = acceptedAt;
  touchIdle(a, acceptedAt);
}

/**
 * Consult completed: the item goes to the agent consulted without an offer. Their consult hold
 * becomes the call itself; the first agent's capacity is freed; an offer the new agent still had
 * that no longer fits is withdrawn ('unavailable').
 */
export function handOver(st: EngineState, s: ItemState, toAgentId: string, now: number, out: RoutingOutcome): void {
  const from = agentFor(st, s.assignedTo ?? '');
  const to = agentFor(st, toAgentId);
  load(from, s, -1);
  load(to, s, +1);
  to.consulting = false;
  recordHandleTime(queueFor(st, s.queueId), Math.max(0, now - s.acceptedAt));
  s.assignedTo = toAgentId;
  s.acceptedAt = now;
  to.lastAssignedAt = now;
  touchIdle(to, now);
  if (to.offer && !fits(to, to.offer.kind, st.config.chatCapacity)) endOffer(st, to.offer, 'unavailable', now, out);
  touchIdle(from, now);
  agentScan(st, from, now, out);
}

/** An accepted item ended: frees its capacity (and enters wrap-up in the same step when asked). */
export function releaseAssigned(st: EngineState, s: ItemState, now: number, wrapup: boolean, out: RoutingOutcome): void {
  const a = agentFor(st, s.assignedTo ?? '');
  load(a, s, -1);
  st.items.delete(s.id);
  recordHandleTime(queueFor(st, s.queueId), Math.max(0, now - s.acceptedAt));
  if (wrapup) a.inWrapup = true;
  touchIdle(a, now);
  if (a.offer && a.inWrapup) endOffer(st, a.offer, 'unavailable', now, out);
  else agentScan(st, a, now, out);
}

/**
 * A consult rings for this agent: it counts as a call (R3) until releaseConsult or handOver. A
 * call offer they had is withdrawn ('unavailable') and goes to the next agent; chats go on.
 */
export function holdForConsult(st: EngineState, agentId: string, now: number, out: RoutingOutcome): void {
  const a = agentFor(st, agentId);
  if (a.consulting) return;
  a.consulting = true;
  touchIdle(a, now);
  if (a.offer && !fits(a, a.offer.kind, a.chatCap)) endOffer(st, a.offer, 'unavailable', now, out);
}

/** The consult ended without a hand-over (cancelled, declined, the call ended, a side went offline): room for a call again. */
export function releaseConsult(st: EngineState, agentId: string, now: number, out: RoutingOutcome): void {
  const a = agentFor(st, agentId);
  if (!a.consulting) return;
  a.consulting = false;
  touchIdle(a, now);
  agentScan(st, a, now, out);
}

function load(a: AgentState, s: ItemState, delta: 1 | -1): void {
  if (s.kind === 'chat') a.chats = Math.max(0, a.chats + delta);
  else a.onCall = delta > 0;
}
