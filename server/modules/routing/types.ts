/**
 * Routing engine types. The engine is pure: no I/O, no timers, no clock; every time is epoch
 * milliseconds passed in by the caller (the interactions service).
 */

export type WorkKind = 'chat' | 'call';

export interface RoutingConfig {
  /** Concurrent chats one agent may hold. */
  chatCapacity: number;
}

export const DEFAULT_ROUTING_CONFIG: RoutingConfig = { chatCapacity: 3 };

/** How long an offer waits for accept/decline when the queue does not say (ms). */
export const DEFAULT_OFFER_TIMEOUT_MS = 15_000;

/** Average handle time used for wait estimates before any interaction of the queue was released (ms). */
export const DEFAULT_HANDLE_TIME_MS = 120_000;

export interface QueueDef {
  id: string;
  memberIds: string[];
  /** Default 15_000 (DEFAULT_OFFER_TIMEOUT_MS). */
  offerTimeoutMs: number;
  /** Chats an agent may hold for this queue's chats to be offered to them; null/absent: RoutingConfig.chatCapacity. */
  chatCapacity?: number | null;
}

export interface WorkItem {
  id: string;
  kind: WorkKind;
  queueId: string;
  enqueuedAt: number;
  /** Blind transfer to one agent; falls back to the queue (see RoutingEngine.enqueue). */
  targetAgentId?: string;
}

export interface Offer {
  interactionId: string;
  agentId: string;
  queueId: string;
  offeredAt: number;
  expiresAt: number;
}

/** 'moved': a supervisor moved the waiting item elsewhere (board move). */
export type WithdrawReason = 'timeout' | 'declined' | 'unavailable' | 'customer_left' | 'moved';

export interface Withdrawal {
  interactionId: string;
  agentId: string;
  reason: WithdrawReason;
}

/** What an engine call changed: offers to send to agents and offers to take back. */
export interface RoutingOutcome {
  offers: Offer[];
  withdrawn: Withdrawal[];
}

/** available = presence 'available' and signed in. */
export interface AgentStatus {
  available: boolean;
  inWrapup: boolean;
}

/** Why an agent cannot be named as a blind-transfer target right now, or 'ok'. */
export type TransferTargetCheck = 'ok' | 'unavailable' | 'in_wrapup' | 'no_capacity';

export type AcceptResult = { ok: true; outcome: RoutingOutcome } | { ok: false; reason: 'not_offered' | 'unknown' };

export interface RoutingSnapshot {
  queues: { queueId: string; waiting: number; oldestEnqueuedAt: number | null }[];
  agents: { agentId: string; chats: number; onCall: boolean; consulting: boolean; offeredInteractionId: string | null; idleSince: number | null }[];
}
