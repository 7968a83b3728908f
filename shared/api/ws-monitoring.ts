import { z } from 'zod';

/**
 * Live call monitoring (silent monitor). A supervisor asks to listen to an agent's connected call;
 * the server asks the agent's app to publish the call's mixed audio (both sides) into a media room
 * of the SFU and lets only listeners the org's policy allows consume it. The agent is told who is
 * listening (unless the policy turns the notice off), and secure pause stops the audio at the
 * agent's machine (unless the policy says otherwise). See docs/protocol.md, "Live call monitoring".
 */

const Id = z.string().min(1).max(64);
const RequestId = z.string().max(64).optional();

/** Roles a policy may allow to monitor (agents never monitor each other). */
export const MonitorRole = z.enum(['supervisor', 'admin']);
export type MonitorRole = z.infer<typeof MonitorRole>;

// ---- policy (admin, HTTP) ----

export const MonitoringPolicy = z.strictObject({
  /** The agent sees "super1 is listening" while someone monitors their call. */
  showNoticeToAgent: z.boolean(),
  /** Secure pause also stops the monitoring audio (at the agent's machine and on the server). */
  securePauseStopsMonitoring: z.boolean(),
  /** Who may monitor calls; empty turns monitoring off. */
  rolesAllowed: z.array(MonitorRole).max(2),
});
export type MonitoringPolicy = z.infer<typeof MonitoringPolicy>;

export const DEFAULT_MONITORING_POLICY: MonitoringPolicy = {
  showNoticeToAgent: true,
  securePauseStopsMonitoring: true,
  rolesAllowed: ['supervisor', 'admin'],
};

// ---- client → server ----

/** A supervisor (or admin) starts listening to the connected call `interactionId`. */
export const MonitorStartMessage = z.strictObject({ type: z.literal('monitor.start'), interactionId: Id, id: RequestId });
/** The listener stops listening. */
export const MonitorStopMessage = z.strictObject({ type: z.literal('monitor.stop'), interactionId: Id, id: RequestId });
/**
 * The agent's app reports what it publishes: `producing` once its audio producer exists in the
 * room (and again after a new producer), `failed` when it could not publish (no SFU, no audio).
 */
export const MonitorPublishStateMessage = z.strictObject({
  type: z.literal('monitor.publish.state'),
  interactionId: Id,
  state: z.enum(['producing', 'failed']),
  message: z.string().max(300).optional(),
  id: RequestId,
});

export const MonitoringClientMessages = [MonitorStartMessage, MonitorStopMessage, MonitorPublishStateMessage] as const;

// ---- server → client ----

export const MonitorListener = z.object({ userId: z.string(), username: z.string(), displayName: z.string() });
export type MonitorListener = z.infer<typeof MonitorListener>;

/** Why monitoring of a call ended for a listener. */
/** `sensitive`: the call was marked sensitive and the listener does not hold the `sensitive` permission. */
export const MonitorEndReason = z.enum(['stopped', 'call_ended', 'transferred', 'signed_out', 'disconnected', 'policy', 'media_failed', 'media_closed', 'sensitive']);
export type MonitorEndReason = z.infer<typeof MonitorEndReason>;

/**
 * To every window of the call's agent: publish (or stop publishing) the call's mixed audio into
 * `roomId`. `pauseOnSecurePause` tells the app to stop feeding the track during a secure pause.
 * `listeners` is set only when the policy shows the notice; the app shows it as `monitor-notice`.
 */
export const MonitorPublishFrame = z.object({
  type: z.literal('monitor.publish'),
  interactionId: z.string(),
  /** Null: stop publishing, close the producer. */
  roomId: z.string().nullable(),
  pauseOnSecurePause: z.boolean(),
  listeners: z.array(MonitorListener).optional(),
});
export type MonitorPublishFrame = z.infer<typeof MonitorPublishFrame>;

/** To the listener's windows: where their monitoring of a call stands. */
export const MonitorStateFrame = z.object({
  type: z.literal('monitor.state'),
  interactionId: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  /**
   * `connecting`: the agent's app is asked to publish; `live`: audio is there to consume from
   * `roomId`; `paused`: the agent turned on secure pause (nothing is sent); `ended`: see `reason`.
   */
  status: z.enum(['connecting', 'live', 'paused', 'ended']),
  roomId: z.string().optional(),
  reason: MonitorEndReason.optional(),
  message: z.string().optional(),
  ref: z.string().optional(),
});
export type MonitorStateFrame = z.infer<typeof MonitorStateFrame>;

export const MonitoringServerMessages = [MonitorPublishFrame, MonitorStateFrame] as const;
