import { z } from 'zod';
import { ScreenRecordingState } from './screen-recordings';

/**
 * Secure pause: the agent stops everything that captures the call (the recording, live monitoring
 * and, next, screen recording) at its source, until the agent resumes. This is the one contract
 * both sides use: the pause and resume requests, the state frame that tells the agent's windows
 * whether a call is paused, and the pause intervals stored with a recording.
 *
 * The wire names keep their first, recording-only names (`recording.pause`, `recording.resume`,
 * `recording.state`) so older apps and servers still understand each other.
 */

const Id = z.string().min(1).max(64);
const RequestId = z.string().max(64).optional();

/** One pause within a recording (stored by the server, shown with the recording). */
export const RecordingPause = z.object({
  startedAt: z.string(),
  /** Null while the pause goes on. */
  endedAt: z.string().nullable(),
  /** Username of the agent who paused. */
  actor: z.string(),
});
export type RecordingPause = z.infer<typeof RecordingPause>;

// ---- WebSocket ----

/** Secure pause on: stops the capture at the source (the agent's app) and is stored with who and when. */
export const RecordingPauseMessage = z.strictObject({ type: z.literal('recording.pause'), interactionId: Id, id: RequestId });
export const RecordingResumeMessage = z.strictObject({ type: z.literal('recording.resume'), interactionId: Id, id: RequestId });

export const SecurePauseClientMessages = [RecordingPauseMessage, RecordingResumeMessage] as const;

/** To every window of the call's agent: whether the call is recorded and whether it is paused. */
export const RecordingStateFrame = z.object({
  type: z.literal('recording.state'),
  interactionId: z.string(),
  recording: z.boolean(),
  paused: z.boolean(),
  pausedSince: z.string().optional(),
  /** The recording the agent's app uploads chunks to (while recording). */
  recordingId: z.string().optional(),
  /** The paused banner reminds the agent after this many seconds (the recording policy). */
  reminderAfterSeconds: z.number().int().optional(),
  /** The call's screen recording (the agent's app records the screen into it); absent when the screen is not recorded. */
  screen: ScreenRecordingState.optional(),
});
export type RecordingStateFrame = z.infer<typeof RecordingStateFrame>;

/**
 * To the customer of a connected call: whether the call is being recorded now. `paused` while the
 * agent's secure pause holds the recording; `off` when the call is not recorded (policy off, a
 * child's call, transferred and not yet answered). Nothing else about the agent.
 */
export const CallRecordingFrame = z.object({
  type: z.literal('call.recording'),
  interactionId: z.string(),
  state: z.enum(['recording', 'paused', 'off']),
});
export type CallRecordingFrame = z.infer<typeof CallRecordingFrame>;

export const SecurePauseServerMessages = [RecordingStateFrame, CallRecordingFrame] as const;
