import { DeadlineHeap } from './deadline-heap';
import { OrderedList } from './ordered-list';
import {
  DEFAULT_HANDLE_TIME_MS,
  DEFAULT_OFFER_TIMEOUT_MS,
  type Offer,
  type QueueDef,
  type RoutingConfig,
  type RoutingOutcome,
  type RoutingSnapshot,
  type WorkKind,
} from './types';

/*
 * The routing engine's bookkeeping: what it remembers (EngineState: per interaction, agent and
 * queue, and the deadlines it owes), and the rules that read one agent or one queue without looking
 * at the rest (capacity, eligibility, rank, idle time, handle time). routing-engine.ts (the
 * commands), offer-moves.ts and assignment.ts move work between these states.
 */

export const KINDS: readonly WorkKind[] = ['chat', 'call'];

/** Releases remembered per queue for the average handle time. */
export const HANDLE_WINDOW = 50;

export interface ItemState {
  readonly id: string;
  readonly kind: WorkKind;
  readonly queueId: string;
  readonly enqueuedAt: number;
  readonly seq: number;
  phase: 'waiting' | 'offered' | 'assigned';
  /** Blind-transfer target while its window is open; null once it fell back to the queue. */
  target: string | null;
  targetToken: number;
  offer: Offer | null;
  offerToken: number;
  assignedTo: string | null;
  acceptedAt: number;
  /** Agents who declined it or let it time out (R5). */
  passedBy: Set<string> | null;
}

export interface AgentState {
  readonly id: string;
  available: boolean;
  inWrapup: boolean;
  chats: number;
  onCall: boolean;
  /**
   * Held for a consult call (ringing or talking) as the agent consulted: counts as a call in
   * progress (R3), so no call is offered to them meanwhile.
   */
  consulting: boolean;
  offer: ItemState | null;
  idleSince: number | null;
  lastAssignedAt: number;
  queues: QueueState[];
  /** Could take some work now (available, not in wrap-up, no offer, some capacity): in its queues' free sets. */
  free: boolean;
  /** The most chats any of the agent's queues lets them hold (the engine's chatCapacity without queues of their own). */
  chatCap: number;
  /** Blind transfers to this agent still in their window and not offered. */
  readonly targeted: OrderedList<ItemState>;
}

export interface QueueState {
  readonly id: string;
  /** null: not (or no longer) configured; its items wait with no members. */
  def: QueueDef | null;
  members: AgentState[];
  /**
   * Members who could take some work now. In a busy center this is a handful of the ≤1,000 members,
   * so finding the agent for an item reads only these.
   */
  readonly free: Set<AgentState>;
  /** Every not-yet-accepted item of the queue (for position and the board). */
  readonly waiting: OrderedList<ItemState>;
  /** Waiting, not offered, not in a transfer window: what members can be offered, per kind. */
  readonly ready: Record<WorkKind, OrderedList<ItemState>>;
  readonly handleTimes: number[];
  handleSum: number;
  handleNext: number;
}

/** Everything one engine remembers; its commands, offer moves and assignment moves share it. */
export interface EngineState {
  readonly config: RoutingConfig;
  readonly queues: Map<string, QueueState>;
  readonly agents: Map<string, AgentState>;
  readonly items: Map<string, ItemState>;
  /** Offer expiries and blind-transfer windows; stale ones are skipped when read, not deleted. */
  readonly deadlines: DeadlineHeap;
  /** Last token given to an offer or a transfer window (Deadline.token). */
  tokens: number;
}

export function newEngineState(config: RoutingConfig): EngineState {
  return { config: { ...config }, queues: new Map(), agents: new Map(), items: new Map(), deadlines: new DeadlineHeap(), tokens: 0 };
}

/** The queue's state, created on first mention (an item may name a queue not configured yet). */
export function queueFor(st: EngineState, id: string): QueueState {
  let q = st.queues.get(id);
  if (!q) {
    q = newQueueState(id);
    st.queues.set(id, q);
  }
  return q;
}

/** The agent's state, created on first mention (status, membership, an assignment restored). */
export function agentFor(st: EngineState, id: string): AgentState {
  let a = st.agents.get(id);
  if (!a) {
    a = newAgentState(id, st.config.chatCapacity);
    st.agents.set(id, a);
  }
  return a;
}

/** R3 for one queue's chats: its own capacity, else the engine's. */
export function capOf(st: EngineState, q: QueueState): number {
  return q.def?.chatCapacity ?? st.config.chatCapacity;
}

/** R4: how long the queue's offers (and blind-transfer windows, R8) last. */
export function timeoutOf(q: QueueState): number {
  return q.def?.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS;
}

export function newQueueState(id: string): QueueState {
  return { id, def: null, members: [], free: new Set(), waiting: new OrderedList(), ready: { chat: new OrderedList(), call: new OrderedList() }, handleTimes: [], handleSum: 0, handleNext: 0 };
}

export function newAgentState(id: string, chatCap: number): AgentState {
  return { id, available: false, inWrapup: false, chats: 0, onCall: false, consulting: false, offer: null, idleSince: null, lastAssignedAt: 0, queues: [], free: false, chatCap, targeted: new OrderedList() };
}

/** A call in progress or a consult call: either leaves no room for another call. */
export function inCall(a: AgentState): boolean {
  return a.onCall || a.consulting;
}

/** R3 capacity: a chat needs a free chat slot, a call needs no call (or consult) in progress. */
export function fits(a: AgentState, kind: WorkKind, chatCapacity: number): boolean {
  return kind === 'chat' ? a.chats < chatCapacity : !inCall(a);
}

/** R3 without membership (checked by the caller). */
export function eligible(a: AgentState, kind: WorkKind, chatCapacity: number): boolean {
  return a.available && !a.inWrapup && a.offer === null && fits(a, kind, chatCapacity);
}

export function canTakeAny(a: AgentState, chatCapacity: number): boolean {
  return a.available && !a.inWrapup && a.offer === null && (a.chats < chatCapacity || !inCall(a));
}

/** Whether the agent holds nothing at all (R2's "free" for idle time). */
export function holdsNothing(a: AgentState): boolean {
  return a.chats === 0 && !inCall(a);
}

/** After a status or load change. R2: idleSince is set when the agent becomes free and cleared while they are not. */
export function touchIdle(a: AgentState, now: number): void {
  const free = a.available && !a.inWrapup && holdsNothing(a);
  if (!free) a.idleSince = null;
  else if (a.idleSince === null) a.idleSince = now;
  syncFree(a);
}

/** Keeps the queues' free sets in step with the agent; called after every change to it. */
export function syncFree(a: AgentState): void {
  const free = canTakeAny(a, a.chatCap);
  if (free === a.free) return;
  a.free = free;
  for (const q of a.queues) {
    if (free) q.free.add(a);
    else q.free.delete(a);
  }
}

/** R2/R5 order: not passed on this item, then free before busy, then longest idle / fewest and oldest-assigned. */
export function ranksBefore(a: AgentState, b: AgentState, item: ItemState | null): boolean {
  if (item?.passedBy) {
    const pa = item.passedBy.has(a.id);
    const pb = item.passedBy.has(b.id);
    if (pa !== pb) return pb;
  }
  const loadA = a.chats + (inCall(a) ? 1 : 0);
  const loadB = b.chats + (inCall(b) ? 1 : 0);
  if (loadA !== loadB) return loadA < loadB;
  const sinceA = loadA === 0 ? (a.idleSince ?? 0) : a.lastAssignedAt;
  const sinceB = loadB === 0 ? (b.idleSince ?? 0) : b.lastAssignedAt;
  if (sinceA !== sinceB) return sinceA < sinceB;
  return a.id < b.id;
}

/** R10: the queue's last HANDLE_WINDOW handle times, kept as a ring with a running sum. */
export function recordHandleTime(q: QueueState, ms: number): void {
  if (q.handleTimes.length < HANDLE_WINDOW) {
    q.handleTimes.push(ms);
  } else {
    q.handleSum -= q.handleTimes[q.handleNext] ?? 0;
    q.handleTimes[q.handleNext] = ms;
    q.handleNext = (q.handleNext + 1) % HANDLE_WINDOW;
  }
  q.handleSum += ms;
}

/** Average handle time in ms (rolling mean of release − accept; default 120 s before any). */
export function averageHandleTime(q: QueueState | undefined): number {
  return q && q.handleTimes.length > 0 ? q.handleSum / q.handleTimes.length : DEFAULT_HANDLE_TIME_MS;
}

export function emptyOutcome(): RoutingOutcome {
  return { offers: [], withdrawn: [] };
}

/** The live board's view: per queue waiting count and oldest enqueuedAt; per agent load (consult included), pending offer, idleSince. */
export function snapshotOf(queueStates: Iterable<QueueState>, agentStates: Iterable<AgentState>): RoutingSnapshot {
  const queues: RoutingSnapshot['queues'] = [];
  for (const q of queueStates) {
    if (q.def === null && q.waiting.length === 0) continue;
    queues.push({ queueId: q.id, waiting: q.waiting.length, oldestEnqueuedAt: q.waiting.first()?.enqueuedAt ?? null });
  }
  const agents: RoutingSnapshot['agents'] = [];
  for (const a of agentStates) {
    agents.push({ agentId: a.id, chats: a.chats, onCall: a.onCall, consulting: a.consulting, offeredInteractionId: a.offer?.id ?? null, idleSince: a.idleSince });
  }
  return { queues, agents };
}
