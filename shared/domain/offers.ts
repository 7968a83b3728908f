import { z } from 'zod';

/**
 * How one offer of an interaction to one agent ended (issue 19):
 * - accepted: the agent took it;
 * - declined: the agent turned it down;
 * - timed_out: nobody answered within the queue's offer timeout;
 * - withdrawn: the interaction went away before anyone took it (the customer left, the server
 *   restarted, it was moved elsewhere);
 * - taken_by_another: the same interaction was offered to several agents and another one accepted it;
 * - unavailable: the agent went away, busy or offline, or into a wrap-up, with the offer pending.
 */
export const OfferOutcome = z.enum(['accepted', 'declined', 'timed_out', 'withdrawn', 'taken_by_another', 'unavailable']);
export type OfferOutcome = z.infer<typeof OfferOutcome>;

/** The words every screen uses for an outcome. */
export const OFFER_OUTCOME_LABELS: Record<OfferOutcome, string> = {
  accepted: 'Accepted',
  declined: 'Declined',
  timed_out: 'Timed out',
  withdrawn: 'Withdrawn',
  taken_by_another: 'Taken by another agent',
  unavailable: 'Withdrawn: you became unavailable',
};

/** Offers that ended without being accepted, counted since 00:00 UTC today (the board's window). */
export const OfferOutcomeCounts = z.object({
  declined: z.number().int(),
  timedOut: z.number().int(),
  withdrawn: z.number().int(),
  takenByAnother: z.number().int(),
  unavailable: z.number().int(),
});
export type OfferOutcomeCounts = z.infer<typeof OfferOutcomeCounts>;

/** Which count an outcome adds to (accepted offers are not counted here). */
export const OUTCOME_COUNT_KEY: Record<Exclude<OfferOutcome, 'accepted'>, keyof OfferOutcomeCounts> = {
  declined: 'declined',
  timed_out: 'timedOut',
  withdrawn: 'withdrawn',
  taken_by_another: 'takenByAnother',
  unavailable: 'unavailable',
};

export function emptyOfferOutcomeCounts(): OfferOutcomeCounts {
  return { declined: 0, timedOut: 0, withdrawn: 0, takenByAnother: 0, unavailable: 0 };
}

/**
 * One ended offer. No customer fields on purpose: an agent who did not take the interaction keeps
 * only that it was offered, when, on which queue, and how the offer ended.
 */
export const OfferRecord = z.object({
  id: z.string(),
  interactionId: z.string(),
  kind: z.enum(['chat', 'call']),
  queueId: z.string(),
  queueName: z.string(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  offeredAt: z.string(),
  endedAt: z.string(),
  outcome: OfferOutcome,
});
export type OfferRecord = z.infer<typeof OfferRecord>;
