import { RoutingEngine } from '../../../../server/modules/routing/routing-engine';
import type { QueueDef, RoutingOutcome, WorkKind } from '../../../../server/modules/routing/types';

export const T0 = 1_700_000_000_000;
export const AVAILABLE = { available: true, inWrapup: false } as const;
export const AWAY = { available: false, inWrapup: false } as const;
export const WRAPUP = { available: true, inWrapup: true } as const;

export function queue(id: string, memberIds: string[], offerTimeoutMs = 15_000): QueueDef {
  return { id, memberIds, offerTimeoutMs };
}

export function engine(queues: QueueDef[], chatCapacity = 3): RoutingEngine {
  return new RoutingEngine({ chatCapacity }, queues);
}

let n = 0;
export function item(queueId: string, enqueuedAt: number, kind: WorkKind = 'chat', extra: { id?: string; targetAgentId?: string } = {}) {
  return { id: extra.id ?? `i${++n}`, kind, queueId, enqueuedAt, ...(extra.targetAgentId ? { targetAgentId: extra.targetAgentId } : {}) };
}

/** Offers as "interaction→agent" strings, for short assertions. */
export function offers(out: RoutingOutcome): string[] {
  return out.offers.map((o) => `${o.interactionId}→${o.agentId}`);
}

export function withdrawn(out: RoutingOutcome): string[] {
  return out.withdrawn.map((w) => `${w.interactionId}×${w.agentId}:${w.reason}`);
}

/** Accepts and fails the test when the engine refuses. */
export function mustAccept(e: RoutingEngine, id: string, agentId: string, now: number): RoutingOutcome {
  const r = e.accept(id, agentId, now);
  if (!r.ok) throw new Error(`accept ${id} by ${agentId} refused: ${r.reason}`);
  return r.outcome;
}

export function mustDecline(e: RoutingEngine, id: string, agentId: string, now: number): RoutingOutcome {
  const r = e.decline(id, agentId, now);
  if (!r.ok) throw new Error(`decline ${id} by ${agentId} refused: ${r.reason}`);
  return r.outcome;
}
