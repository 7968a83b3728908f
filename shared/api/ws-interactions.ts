import { z } from 'zod';
import { RedactionKind } from './redaction';
import { SensitiveCategory } from '../domain/sensitive';
import {
  AgentBoardRow,
  ChatMessage,
  InteractionDetail,
  InteractionSummary,
  MAX_CHAT_TEXT,
  QueueBoardRow,
} from '../domain/interactions';

const Id = z.string().min(1).max(64);
const RequestId = z.string().max(64).optional();

/** Largest WebRTC signal (SDP offer/answer or ICE candidate) relayed. */
export const MAX_SIGNAL_BYTES = 16 * 1024;

/**
 * simple-peer signal data, relayed untouched between the two parties of an interaction. Only its
 * outer shape is checked: an object with a known `type` (offer, answer, candidate, renegotiate,
 * transceiverRequest) or a `candidate`.
 */
export const SignalData = z
  .record(z.string(), z.unknown())
  .refine((v) => typeof v.type === 'string' || typeof v.candidate === 'object', 'signal must have a type or a candidate')
  .refine((v) => JSON.stringify(v).length <= MAX_SIGNAL_BYTES, `signal is larger than ${MAX_SIGNAL_BYTES} bytes`);

// ---- client → server ----

export const OfferAccept = z.strictObject({ type: z.literal('offer.accept'), interactionId: Id, id: RequestId });
export const OfferDecline = z.strictObject({ type: z.literal('offer.decline'), interactionId: Id, id: RequestId });
export const ChatSend = z.strictObject({
  type: z.literal('chat.send'),
  interactionId: Id,
  /** Client-generated; a resend with the same id is stored once (exactly-once delivery). */
  clientMsgId: Id,
  text: z.string().trim().min(1, 'message is empty').max(MAX_CHAT_TEXT),
  id: RequestId,
});
export const ChatTyping = z.strictObject({ type: z.literal('chat.typing'), interactionId: Id });
/** Read receipt: the sender has shown every message up to `upToSeq`. */
export const ChatSeen = z.strictObject({ type: z.literal('chat.seen'), interactionId: Id, upToSeq: z.number().int().min(0) });
export const CallSignal = z.strictObject({ type: z.literal('call.signal'), interactionId: Id, signal: SignalData });
export const CallHold = z.strictObject({ type: z.literal('call.hold'), interactionId: Id, held: z.boolean(), id: RequestId });
export const CallMute = z.strictObject({ type: z.literal('call.mute'), interactionId: Id, muted: z.boolean() });
/** Hang up a call or end a chat (either party). */
export const InteractionEnd = z.strictObject({ type: z.literal('interaction.end'), interactionId: Id, id: RequestId });
/**
 * The handling agent learned the customer is under 13: the recording stops and is deleted, the
 * customer fields are cleared, and the transcript is purged when the conversation ends.
 */
export const InteractionChildFlag = z.strictObject({ type: z.literal('interaction.child_flag'), interactionId: Id, id: RequestId });
export const TransferTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('queue'), queueId: Id }),
  z.strictObject({ kind: z.literal('agent'), userId: Id }),
]);
export const InteractionTransfer = z.strictObject({ type: z.literal('interaction.transfer'), interactionId: Id, to: TransferTarget, id: RequestId });
/** Supervisors and admins, from the board: a waiting or live interaction to another queue or agent. */
export const InteractionMove = z.strictObject({ type: z.literal('interaction.move'), interactionId: Id, to: TransferTarget, id: RequestId });
export const WrapupSubmit = z.strictObject({
  type: z.literal('wrapup.submit'),
  interactionId: Id,
  disposition: z.string().min(1).max(100),
  notes: z.string().max(4000).default(''),
  id: RequestId,
});

export const InteractionClientMessages = [
  OfferAccept,
  OfferDecline,
  ChatSend,
  ChatTyping,
  ChatSeen,
  CallSignal,
  CallHold,
  CallMute,
  InteractionEnd,
  InteractionChildFlag,
  InteractionTransfer,
  InteractionMove,
  WrapupSubmit,
] as const;

// ---- server → client ----

/** Hello answer for a customer (staff get hello.ok). Restores the conversation after a reconnect. */
export const HelloCustomer = z.object({
  type: z.literal('hello.customer'),
  protocol: z.number().int(),
  serverVersion: z.string(),
  heartbeatMs: z.number().int(),
  interactionId: z.string(),
  kind: z.enum(['chat', 'call']),
  messages: z.array(ChatMessage),
});

/** What the widget shows on its state line. */
export const CustomerState = z.object({
  type: z.literal('customer.state'),
  interactionId: z.string(),
  state: z.enum(['waiting', 'ringing', 'connected', 'on_hold', 'ended', 'no_agents']),
  position: z.number().int().optional(),
  estimatedWaitSeconds: z.number().int().optional(),
  agentName: z.string().optional(),
  /** The wait passed the org's maximum queue time: offer to leave a message (the customer may also keep waiting). */
  leaveMessage: z.boolean().optional(),
});

export const OfferMessage = z.object({ type: z.literal('offer'), interaction: InteractionSummary, expiresAt: z.string() });
export const OfferWithdrawn = z.object({
  type: z.literal('offer.withdrawn'),
  interactionId: z.string(),
  reason: z.enum(['timeout', 'declined', 'accepted', 'customer_left', 'unavailable', 'moved']),
});
/** The agent's interaction opened (after accept, a transfer to them, or a reconnect). */
export const InteractionOpened = z.object({ type: z.literal('interaction.opened'), interaction: InteractionDetail });
export const InteractionUpdated = z.object({ type: z.literal('interaction.updated'), interaction: InteractionSummary });
/** Delivered to both parties; the sender also gets its clientMsgId back as the acknowledgement. */
export const ChatMessageFrame = z.object({
  type: z.literal('chat.message'),
  interactionId: z.string(),
  message: ChatMessage,
  clientMsgId: z.string().optional(),
  /** In the sender's acknowledgement only: what the server redacted from the text before storing it. */
  redacted: z.array(RedactionKind).optional(),
});
export const ChatTypingFrame = z.object({ type: z.literal('chat.typing'), interactionId: z.string(), from: z.enum(['customer', 'agent']) });
export const ChatSeenFrame = z.object({ type: z.literal('chat.seen'), interactionId: z.string(), upToSeq: z.number().int(), by: z.enum(['customer', 'agent']) });
export const CallSignalFrame = z.object({ type: z.literal('call.signal'), interactionId: z.string(), signal: z.record(z.string(), z.unknown()) });
export const WrapupRequired = z.object({ type: z.literal('wrapup.required'), interactionId: z.string(), dispositions: z.array(z.string()), deadline: z.string() });
export const WrapupDone = z.object({ type: z.literal('wrapup.done'), interactionId: z.string(), timedOut: z.boolean() });
/**
 * To the handling agent only: a chat message in this unmarked interaction holds one of the org's
 * keywords for a sensitive category. A suggestion (once per interaction and category), never a mark; no message text.
 */
export const SensitiveSuggestedFrame = z.object({ type: z.literal('sensitive.suggested'), interactionId: z.string(), category: SensitiveCategory });
/** Whole live board for supervisors and admins, sent after hello and on every change (throttled). */
export const BoardFrame = z.object({ type: z.literal('board'), queues: z.array(QueueBoardRow), agents: z.array(AgentBoardRow), at: z.string() });

export const InteractionServerMessages = [
  HelloCustomer,
  CustomerState,
  OfferMessage,
  OfferWithdrawn,
  InteractionOpened,
  InteractionUpdated,
  ChatMessageFrame,
  ChatTypingFrame,
  ChatSeenFrame,
  CallSignalFrame,
  WrapupRequired,
  WrapupDone,
  SensitiveSuggestedFrame,
  BoardFrame,
] as const;
