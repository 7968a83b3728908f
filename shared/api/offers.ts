import { z } from 'zod';
import { OfferRecord } from '../domain/offers';

/** GET /api/offers: ended offers, newest first. Agents see their own; supervisors and admins everyone's or one agent's. */
export const OffersQuery = z.strictObject({
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  agentId: z.string().max(64).optional(),
});
export type OffersQuery = z.infer<typeof OffersQuery>;

export const OffersPage = z.object({
  offers: z.array(OfferRecord),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type OffersPage = z.infer<typeof OffersPage>;
