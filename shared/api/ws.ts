import { z } from 'zod';
import { Presence, SelectablePresence, User } from '../domain/roles';
import { ErrorCode } from './errors';
import { RosterEntry } from './http';
import { InteractionClientMessages, InteractionServerMessages } from './ws-interactions';
import { MonitoringClientMessages, MonitoringServerMessages } from './ws-monitoring';
import { SecurePauseClientMessages as RecordingClientMessages, SecurePauseServerMessages as RecordingServerMessages } from './secure-pause';
import { ShareClientMessages, ShareServerMessages } from './ws-shares';
import { MediaClientMessages, MediaServerMessages } from './ws-media';
import { SyncServerMessages } from './sync';
import { ConsultClientMessages, ConsultServerMessages } from './ws-consult';

/** Largest WebSocket frame the server accepts; larger frames are refused with an error frame. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;

/** Optional request id a client may attach so that replies and errors can name the request. */
const RequestId = z.string().max(64).optional();

// ---- client → server ----

/** First frame on every connection: the token travels here, never in the URL. */
export const HelloMessage = z.strictObject({
  type: z.literal('hello'),
  protocol: z.number().int(),
  token: z.string().min(1).max(512),
  id: RequestId,
});

export const PingMessage = z.strictObject({ type: z.literal('ping'), id: RequestId });

export const PresenceSetMessage = z.strictObject({
  type: z.literal('presence.set'),
  presence: SelectablePresence,
  id: RequestId,
});

export const ClientMessage = z.discriminatedUnion('type', [HelloMessage, PingMessage, PresenceSetMessage, ...InteractionClientMessages, ...ShareClientMessages, ...MediaClientMessages, ...RecordingClientMessages, ...MonitoringClientMessages, ...ConsultClientMessages]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export const CLIENT_MESSAGE_TYPES: readonly string[] = ClientMessage.options.map((o) => o.shape.type.value);

// ---- server → client ----

export const HelloOk = z.object({
  type: z.literal('hello.ok'),
  protocol: z.number().int(),
  serverVersion: z.string(),
  heartbeatMs: z.number().int(),
  user: User,
  presence: Presence,
});

export const Pong = z.object({ type: z.literal('pong'), id: RequestId });

export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
  /** The request id or message type the error answers, when known. */
  ref: z.string().optional(),
  /** With rate_limited: how long to wait before sending that again (docs/protocol.md, "Limits"). */
  retryAfterMs: z.number().int().optional(),
});

/** The presence of the connected user changed (also echoes their own presence.set). */
export const PresenceSelf = z.object({ type: z.literal('presence.self'), presence: Presence, since: z.string() });

/** Full roster for supervisors and admins, sent after hello. */
export const RosterSnapshot = z.object({ type: z.literal('roster.snapshot'), agents: z.array(RosterEntry) });

/** One roster row changed. */
export const RosterChanged = z.object({ type: z.literal('roster.changed'), agent: RosterEntry });

export const ServerMessage = z.discriminatedUnion('type', [
  HelloOk,
  Pong,
  ErrorFrame,
  PresenceSelf,
  RosterSnapshot,
  RosterChanged,
  ...InteractionServerMessages,
  ...ShareServerMessages,
  ...MediaServerMessages,
  ...RecordingServerMessages,
  ...MonitoringServerMessages,
  ...SyncServerMessages,
  ...ConsultServerMessages,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** WebSocket close codes the server uses, so clients can tell a refusal from a network drop. */
export const WsClose = {
  /** Protocol version mismatch: do not reconnect, tell the user to update. */
  protocolMismatch: 4400,
  /** Token missing, expired, revoked or forged: do not reconnect, sign in again. */
  unauthenticated: 4401,
  /** No hello in time. */
  helloTimeout: 4408,
  /** The session was signed out elsewhere. */
  signedOut: 4409,
  /** Staff who have not accepted the current material privacy notice: sign in again to read and accept it. */
  policyNotAccepted: 4403,
  /** Too many sockets from this address, or frames kept coming after rate_limited refusals: wait before reconnecting. */
  rateLimited: 4429,
  /** An admin disabled the account, changed its role or revoked its sessions: do not reconnect, sign in again. */
  accountChanged: 4410,
  /** An admin set the password: change it over HTTP, then connect again. */
  passwordChangeRequired: 4411,
} as const;
