import { z } from 'zod';
import { SignalData } from './ws-interactions';

/**
 * Consult (warm) transfer of a call: the call's agent puts the customer on hold and calls another
 * agent (a second WebRTC peer between the two agents, signalled through the server like calls);
 * then completes (the customer's call is handed to the second agent) or cancels (back with the
 * customer). See docs/protocol.md, "Consult transfer".
 */

const Id = z.string().min(1).max(64);
const RequestId = z.string().max(64).optional();

// ---- client → server ----

/** The call's agent opens a consult with another agent; the customer is put on hold. */
export const ConsultStart = z.strictObject({ type: z.literal('consult.start'), interactionId: Id, toUserId: Id, id: RequestId });
/** The agent consulted answers. */
export const ConsultAccept = z.strictObject({ type: z.literal('consult.accept'), consultId: Id, id: RequestId });
/** Either agent ends the consult (the agent consulted declining it, too); the first agent is back with the customer. */
export const ConsultCancel = z.strictObject({ type: z.literal('consult.cancel'), consultId: Id, id: RequestId });
/** The first agent hands the customer's call to the agent consulted (once they answered). */
export const ConsultComplete = z.strictObject({ type: z.literal('consult.complete'), consultId: Id, id: RequestId });
/** simple-peer signal data between the two agents of a consult; the first agent makes the offer. */
export const ConsultSignal = z.strictObject({ type: z.literal('consult.signal'), consultId: Id, signal: SignalData });

export const ConsultClientMessages = [ConsultStart, ConsultAccept, ConsultCancel, ConsultComplete, ConsultSignal] as const;

// ---- server → client ----

export const ConsultStateValue = z.enum(['ringing', 'talking', 'completed', 'cancelled']);
export type ConsultStateValue = z.infer<typeof ConsultStateValue>;

export const ConsultView = z.object({
  id: z.string(),
  /** The customer's call being consulted about. */
  interactionId: z.string(),
  queueName: z.string(),
  state: ConsultStateValue,
  fromUserId: z.string(),
  fromName: z.string(),
  toUserId: z.string(),
  toName: z.string(),
  /**
   * The consult audio's attempt (0 first): up by one when an agent's app reconnected while talking;
   * on a new attempt both apps drop their consult peer and make a new one (the call's agent offers).
   */
  attempt: z.number().int().min(0).optional(),
  /** Why it was cancelled: by one of the agents, the customer's call ended, or an agent went offline (past the reconnect grace). */
  reason: z.enum(['cancelled', 'declined', 'call_ended', 'disconnected']).optional(),
});
export type ConsultView = z.infer<typeof ConsultView>;

/** To both agents of a consult, on every change. */
export const ConsultStateFrame = z.object({ type: z.literal('consult.state'), consult: ConsultView });
export const ConsultSignalFrame = z.object({ type: z.literal('consult.signal'), consultId: z.string(), signal: z.record(z.string(), z.unknown()) });

export const ConsultServerMessages = [ConsultStateFrame, ConsultSignalFrame] as const;
