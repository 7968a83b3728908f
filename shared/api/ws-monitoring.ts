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

/**
 * What a listener does on the call: `listen` (silent monitor), `whisper` (the agent hears the
 * listener, the customer does not), `barge` (all three hear each other).
 */
export const MonitorMode = z.enum(['listen', 'whisper', 'barge']);
export type MonitorMode = z.infer<typeof MonitorMode>;
/** The modes in which a listener speaks. */
export type SpeakingMode = Exclude<MonitorMode, 'listen'>;

export const MonitoringPolicy = z
  .strictObject({
    /** The agent sees "super1 is listening" while someone monitors their call. */
    showNoticeToAgent: z.boolean(),
    /** Secure pause also stops the monitoring audio (at the agent's machine and on the server). */
    securePauseStopsMonitoring: z.boolean(),
    /** Who may monitor calls; empty turns monitoring off. */
    rolesAllowed: z.array(MonitorRole).max(2),
    /** Who, among those who may listen, may whisper to the agent; empty turns whisper off. */
    whisperRoles: z.array(MonitorRole).max(2),
    /** Who, among those who may listen, may barge in (speak to agent and customer); empty turns barge off. */
    bargeRoles: z.array(MonitorRole).max(2),
  })
  .superRefine((policy, ctx) => {
    for (const key of ['whisperRoles', 'bargeRoles'] as const) {
      const stray = policy[key].filter((r) => !policy.rolesAllowed.includes(r));
      if (stray.length > 0) ctx.addIssue({ code: 'custom', path: [key], message: `${stray.join(' and ')} may not listen, so may not ${key === 'whisperRoles' ? 'whisper' : 'barge'} either` });
    }
  });
export type MonitoringPolicy = z.infer<typeof MonitoringPolicy>;

export const DEFAULT_MONITORING_POLICY: MonitoringPolicy = {
  showNoticeToAgent: true,
  securePauseStopsMonitoring: true,
  rolesAllowed: ['supervisor', 'admin'],
  whisperRoles: ['supervisor', 'admin'],
  bargeRoles: ['supervisor', 'admin'],
};

/** The modes a role may use under a policy (listen first; none when it may not listen). */
export function modesAllowed(policy: MonitoringPolicy, role: MonitorRole): MonitorMode[] {
  if (!policy.rolesAllowed.includes(role)) return [];
  return [
    'listen' as const,
    ...(policy.whisperRoles.includes(role) ? (['whisper'] as const) : []),
    ...(policy.bargeRoles.includes(role) ? (['barge'] as const) : []),
  ];
}

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

/**
 * The listener switches what they do on the call (listen, whisper, barge). The server checks the
 * policy, audits the switch and answers with monitor.state (its `voiceRoomId` says where to send
 * the microphone) and the agent's monitor.publish (its `voice` says where to receive it).
 */
export const MonitorModeMessage = z.strictObject({ type: z.literal('monitor.mode'), interactionId: Id, mode: MonitorMode, id: RequestId });

export const MonitoringClientMessages = [MonitorStartMessage, MonitorStopMessage, MonitorPublishStateMessage, MonitorModeMessage] as const;

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
  /**
   * A listener speaks (whisper or barge): receive their voice from `roomId` and play it to the
   * agent; in barge also send it on to the customer. Always set while someone speaks, whatever
   * `showNoticeToAgent` says: the agent hears them, so the notice always names them and the mode.
   */
  voice: z.object({ roomId: z.string(), mode: z.enum(['whisper', 'barge']), speaker: MonitorListener }).optional(),
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
  /** What this listener does now (listen when absent). */
  mode: MonitorMode.optional(),
  /** The modes the policy lets this listener use now (the switch buttons shown). */
  modes: z.array(MonitorMode).optional(),
  /** In whisper or barge: the room to send this listener's microphone into. */
  voiceRoomId: z.string().optional(),
  reason: MonitorEndReason.optional(),
  message: z.string().optional(),
  ref: z.string().optional(),
});
export type MonitorStateFrame = z.infer<typeof MonitorStateFrame>;

export const MonitoringServerMessages = [MonitorPublishFrame, MonitorStateFrame] as const;
