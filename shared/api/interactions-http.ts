import { z } from 'zod';
import { AgentActivity, CustomerInfo, InteractionDetail, InteractionSummary, MAX_CHAT_TEXT, Queue } from '../domain/interactions';
import { Presence } from '../domain/roles';
import { ConsentPurposeId } from './consent';

// ---- customer widget (no account) ----

export const WidgetQueue = z.object({ id: z.string(), name: z.string(), membersSignedIn: z.number().int(), membersAvailable: z.number().int() });
export const WidgetQueuesResponse = z.object({ queues: z.array(WidgetQueue) });
export type WidgetQueuesResponse = z.infer<typeof WidgetQueuesResponse>;

/** POST /api/widget/interactions: start a chat or a call; the token authenticates the widget's WebSocket. */
export const StartInteractionRequest = z.strictObject({
  kind: z.enum(['chat', 'call']),
  queueId: z.string().min(1).max(64),
  customer: CustomerInfo.default({}),
  /**
   * Only when the org asks (GET /api/widget/settings): could the customer be under 13, the
   * interaction is child-protected and the name and e-mail are not stored. The year is never stored.
   */
  birthYear: z.number().int().min(1900).max(2200).optional(),
  /**
   * The purposes the customer ticked (GET /api/widget/consent-settings lists them); each becomes a
   * consent record. Nothing ticked, nothing recorded.
   */
  consents: z.array(ConsentPurposeId).max(10).default([]),
  /** The version of the privacy notice the form showed; required with consents, refused (409) when it changed since. */
  noticeVersion: z.string().max(40).optional(),
});
export type StartInteractionRequest = z.infer<typeof StartInteractionRequest>;

export const StartInteractionResponse = z.object({
  interactionId: z.string(),
  /** `vc_…`: send it in the WebSocket hello. Valid for this interaction only. */
  customerToken: z.string(),
  expiresAt: z.string(),
});
export type StartInteractionResponse = z.infer<typeof StartInteractionResponse>;

/** POST /api/widget/messages: nobody is signed in, the customer leaves a message for the queue. */
export const LeaveMessageRequest = z.strictObject({
  queueId: z.string().min(1).max(64),
  customer: CustomerInfo.default({}),
  text: z.string().trim().min(1, 'message is empty').max(MAX_CHAT_TEXT),
  /**
   * As for a start (only when the org asks): could the customer be under 13, the message is kept as
   * metadata only (queue, time, child-protected): neither the name, the e-mail nor the text is stored.
   */
  birthYear: z.number().int().min(1900).max(2200).optional(),
});
export type LeaveMessageRequest = z.infer<typeof LeaveMessageRequest>;
export const LeaveMessageResponse = z.object({ interactionId: z.string() });

// ---- staff ----

export const QueuesResponse = z.object({ queues: z.array(Queue) });

/**
 * An agent an interaction can be transferred (or a call consulted) to, with their live state:
 * presence, what they are doing, and whether they can take it now (and if not, why).
 */
export const TransferTargetAgent = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  presence: Presence,
  activity: AgentActivity,
  canTake: z.boolean(),
  /** Why they cannot take it now; null when they can. */
  why: z.string().nullable(),
});
export type TransferTargetAgent = z.infer<typeof TransferTargetAgent>;
export const TransferTargetsResponse = z.object({ agents: z.array(TransferTargetAgent) });
export type TransferTargetsResponse = z.infer<typeof TransferTargetsResponse>;
export type QueuesResponse = z.infer<typeof QueuesResponse>;

/** GET /api/interactions: newest first. Agents see their own; supervisors and admins everyone's. */
export const InteractionsQuery = z.strictObject({
  before: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  agentId: z.string().max(64).optional(),
});
export type InteractionsQuery = z.infer<typeof InteractionsQuery>;

export const InteractionsPage = z.object({
  interactions: z.array(InteractionSummary),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type InteractionsPage = z.infer<typeof InteractionsPage>;

export const InteractionDetailResponse = InteractionDetail;
