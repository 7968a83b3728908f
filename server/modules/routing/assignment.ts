import { fits, inCall, recordHandleTime, type AgentState, type ItemState, type QueueState } from './engine-state';
import type { RoutingOutcome, WithdrawReason, WorkItem } from './types';

/*
 * The routing engine's assignment half: what happens to an agent's load once work is theirs
 * (accepted, restored after a node's takeover, handed over by a consult, released) and the hold a
 * consult puts on the agent consulted. routing-engine.ts decides offers and calls these; they
 * call back into its offer moves (agentScan, endOffer) so its invariant holds after each one:
 * whoever becomes free scans their queues' heads, whoever loses room loses an offer that no longer fits.
 */

/** What the assignment moves need from the engine: its state and its offer moves. */
export interface EngineMoves {
  readonly items: Map<string, ItemState>;
  /** The engine's chat capacity (RoutingConfig). */
  chatCapacity(): number;
  agentFor(id: string): AgentState;
  queueFor(id: string): QueueState;
  /** R2 idle time and the queues' free sets, after any change to the agent. */
  touchIdle(a: AgentState, now: number): void;
  agentScan(a: AgentState, now: number, out: RoutingOutcome): void;
  endOffer(s: ItemState, reason: WithdrawReason, now: number, out: RoutingOutcome): void;
}

/** R7: an offered item becomes the agent's (chats+1 or onCall); the agent may then be offered more. */
export function assign(m: EngineMoves, s: ItemState, a: AgentState, now: number, out: RoutingOutcome): void {
  m.queueFor(s.queueId).waiting.remove(s);
  s.phase = 'assigned';
  s.offer = null;
  s.assignedTo = a.id;
  s.acceptedAt = now;
  s.passedBy = null;
  a.offer = null;
  load(a, s, +1);
  a.lastAssignedAt = now;
  m.touchIdle(a, now);
  m.agentScan(a, now, out);
}

/** An assignment another node made before this engine existed, held as if accepted (see RoutingEngine.restoreAssigned). */
export function restore(m: EngineMoves, item: WorkItem, agentId: string, acceptedAt: number, seq: number): void {
  const a = m.agentFor(agentId);
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
  m.items.set(item.id, s);
  m.queueFor(item.queueId);
  load(a, s, +1);
  a.lastAssignedAt = acceptedAt;
  m.touchIdle(a, acceptedAt);
}

/**
 * Consult completed: the item goes to the agent consulted without an offer. Their consult hold
 * becomes the call itself; the first agent's capacity is freed; an offer the new agent still had
 * that no longer fits is withdrawn ('unavailable').
 */
export function handOver(m: EngineMoves, s: ItemState, toAgentId: string, now: number, out: RoutingOutcome): void {
  const from = m.agentFor(s.assignedTo ?? '');
  const to = m.agentFor(toAgentId);
  load(from, s, -1);
  load(to, s, +1);
  to.consulting = false;
  recordHandleTime(m.queueFor(s.queueId), Math.max(0, now - s.acceptedAt));
  s.assignedTo = toAgentId;
  s.acceptedAt = now;
  to.lastAssignedAt = now;
  m.touchIdle(to, now);
  if (to.offer && !fits(to, to.offer.kind, m.chatCapacity())) m.endOffer(to.offer, 'unavailable', now, out);
  m.touchIdle(from, now);
  m.agentScan(from, now, out);
}

/** An accepted item ended: frees its capacity (and enters wrap-up in the same step when asked). */
export function releaseAssigned(m: EngineMoves, s: ItemState, now: number, wrapup: boolean, out: RoutingOutcome): void {
  const a = m.agentFor(s.assignedTo ?? '');
  load(a, s, -1);
  m.items.delete(s.id);
  recordHandleTime(m.queueFor(s.queueId), Math.max(0, now - s.acceptedAt));
  if (wrapup) a.inWrapup = true;
  m.touchIdle(a, now);
  if (a.offer && a.inWrapup) m.endOffer(a.offer, 'unavailable', now, out);
  else m.agentScan(a, now, out);
}

/**
 * A consult rings for this agent: it counts as a call (R3) until releaseConsult or handOver. A
 * call offer they had is withdrawn ('unavailable') and goes to the next agent; chats go on.
 */
export function holdForConsult(m: EngineMoves, agentId: string, now: number, out: RoutingOutcome): void {
  const a = m.agentFor(agentId);
  if (a.consulting) return;
  a.consulting = true;
  m.touchIdle(a, now);
  if (a.offer && !fits(a, a.offer.kind, a.chatCap)) m.endOffer(a.offer, 'unavailable', now, out);
}

/** The consult ended without a hand-over (cancelled, declined, the call ended, a side went offline): room for a call again. */
export function releaseConsult(m: EngineMoves, agentId: string, now: number, out: RoutingOutcome): void {
  const a = m.agentFor(agentId);
  if (!a.consulting) return;
  a.consulting = false;
  m.touchIdle(a, now);
  m.agentScan(a, now, out);
}

/** Whether the agent holds nothing at all (R2's "free" for idle time). */
export function holdsNothing(a: AgentState): boolean {
  return a.chats === 0 && !inCall(a);
}

function load(a: AgentState, s: ItemState, delta: 1 | -1): void {
  if (s.kind === 'chat') a.chats = Math.max(0, a.chats + delta);
  else a.onCall = delta > 0;
}
