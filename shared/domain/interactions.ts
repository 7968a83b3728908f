import { z } from 'zod';
import { OfferOutcomeCounts } from './offers';
import { SensitiveCategory, SensitiveMark } from './sensitive';

/** A customer contact: a live chat, a WebRTC call, or a message left when nobody was signed in. */
export const InteractionKind = z.enum(['chat', 'call', 'message']);
export type InteractionKind = z.infer<typeof InteractionKind>;

/**
 * queued → offered → active → wrapup → closed. `abandoned`: the customer left before an agent
 * answered. A message left for the queue is stored `closed` at once.
 */
export const InteractionStatus = z.enum(['queued', 'offered', 'active', 'wrapup', 'closed', 'abandoned']);
export type InteractionStatus = z.infer<typeof InteractionStatus>;

export const CustomerInfo = z.strictObject({
  name: z.string().trim().max(100).optional(),
  email: z.email('email must be a valid address').max(200).optional(),
});
export type CustomerInfo = z.infer<typeof CustomerInfo>;

export const Queue = z.object({
  id: z.string(),
  name: z.string(),
  dispositions: z.array(z.string()),
  offerTimeoutMs: z.number().int(),
  memberIds: z.array(z.string()),
  /** Chats one agent holds at once from this queue; null or absent: the server's default. */
  chatCapacity: z.number().int().nullable().optional(),
});
export type Queue = z.infer<typeof Queue>;

export const InteractionSummary = z.object({
  id: z.string(),
  kind: InteractionKind,
  status: InteractionStatus,
  queueId: z.string(),
  queueName: z.string(),
  customer: CustomerInfo,
  /** The agent handling it now (or who handled it last). */
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** Calls only: both directions silenced by the agent. */
  onHold: z.boolean(),
  disposition: z.string().nullable(),
  /** Live frames only (offer, interaction.opened/updated): whether the customer's widget is connected now. */
  customerConnected: z.boolean().optional(),
  /** Present only when marked as holding sensitive personal data (issue 15). */
  sensitive: SensitiveMark.optional(),
  /** Present (true) once the customer is known to be under 13: not recorded, purged when it ends. */
  childProtected: z.literal(true).optional(),
});
export type InteractionSummary = z.infer<typeof InteractionSummary>;

export const ChatAuthor = z.enum(['customer', 'agent', 'system']);
export type ChatAuthor = z.infer<typeof ChatAuthor>;

/** Longest chat message accepted. */
export const MAX_CHAT_TEXT = 4000;

export const ChatMessage = z.object({
  id: z.string(),
  interactionId: z.string(),
  /** 1, 2, 3… per interaction: the order both sides show, assigned by the server. */
  seq: z.number().int().min(1),
  from: ChatAuthor,
  authorName: z.string(),
  text: z.string(),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const TimelineEventType = z.enum([
  'queued',
  'offered',
  'declined',
  'offer_timeout',
  'offer_withdrawn',
  'answered',
  'held',
  'resumed',
  'muted',
  'unmuted',
  'transferred',
  /** A supervisor moved the waiting interaction to another queue or agent (board). */
  'moved',
  /** Consult (warm) transfer of a call: started, answered by the second agent, cancelled; completing it is 'transferred'. */
  'consult_started',
  'consult_answered',
  'consult_cancelled',
  'ended',
  'abandoned',
  'wrapup_submitted',
  'wrapup_timeout',
  'message_left',
]);
export type TimelineEventType = z.infer<typeof TimelineEventType>;

export const TimelineEvent = z.object({
  type: TimelineEventType,
  at: z.string(),
  /** Username of the agent involved, or null for the customer/system. */
  actor: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Wrapup = z.object({
  disposition: z.string(),
  notes: z.string(),
  submittedAt: z.string(),
  by: z.string(),
  /** True when the time limit ran out and the system closed it. */
  timedOut: z.boolean(),
});
export type Wrapup = z.infer<typeof Wrapup>;

export const InteractionDurations = z.object({
  waitMs: z.number().int().nullable(),
  talkMs: z.number().int().nullable(),
  holdMs: z.number().int(),
  totalMs: z.number().int().nullable(),
});

export const InteractionDetail = InteractionSummary.extend({
  messages: z.array(ChatMessage),
  timeline: z.array(TimelineEvent),
  wrapup: Wrapup.nullable(),
  durations: InteractionDurations,
});
export type InteractionDetail = z.infer<typeof InteractionDetail>;

/** What the supervisor board shows per queue. */
export const QueueBoardRow = z.object({
  queueId: z.string(),
  name: z.string(),
  waiting: z.number().int(),
  /** ISO time the longest-waiting interaction entered the queue, or null. */
  oldestWaitingSince: z.string().nullable(),
  membersSignedIn: z.number().int(),
  membersAvailable: z.number().int(),
  membersBusy: z.number().int(),
  /** Offers of this queue that ended without being accepted, since 00:00 UTC today (the server always sends it). */
  offerOutcomes: OfferOutcomeCounts.optional(),
  /** The waiting interactions themselves (queued or offered), oldest first, so supervisors can move them. */
  items: z.array(z.lazy(() => BoardInteraction)).optional(),
});
export type QueueBoardRow = z.infer<typeof QueueBoardRow>;

/** consult: in a consult (warm transfer) call, as the call's agent or the agent consulted. */
export const AgentActivity = z.enum(['offline', 'idle', 'offered', 'chat', 'call', 'consult', 'wrapup']);
export type AgentActivity = z.infer<typeof AgentActivity>;

/**
 * One open interaction on the board. `sensitive` is there only when it is marked (privacy principle
 * 4): with the category for viewers who may open it (supervisors with the `sensitive` permission,
 * admins), with `category: null` for a supervisor without the permission, who may neither listen
 * in nor open it and sees only this metadata.
 */
export const BoardInteraction = z.object({
  id: z.string(),
  kind: InteractionKind,
  status: InteractionStatus,
  sensitive: z.object({ category: SensitiveCategory.nullable() }).optional(),
});
export type BoardInteraction = z.infer<typeof BoardInteraction>;

export const AgentBoardRow = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  presence: z.enum(['available', 'busy', 'away', 'offline']),
  activity: AgentActivity,
  /** Open interactions (offered, active, in wrap-up). */
  interactions: z.array(BoardInteraction),
  /** ISO time the current activity began. */
  since: z.string(),
  /** This agent's offers that ended without being accepted, since 00:00 UTC today (the server always sends it). */
  offerOutcomes: OfferOutcomeCounts.optional(),
});
export type AgentBoardRow = z.infer<typeof AgentBoardRow>;

/** STUN/TURN servers handed to WebRTC peers (RTCIceServer). */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;
