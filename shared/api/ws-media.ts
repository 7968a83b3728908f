import { z } from 'zod';

/**
 * SFU signaling (mediasoup) over the WebSocket. A media room has one producing side (a sharer's
 * video, an agent's call audio) and consumers the room's owner allows (a share's joined viewers, a
 * call's permitted listeners). The owning module opens the room and decides; these messages only
 * move mediasoup's parameters. Every request may carry `id`; its reply or error frame carries it
 * back as `ref`. See docs/protocol.md, "SFU media rooms".
 */

const Id = z.string().min(1).max(128);
const RequestId = z.string().max(64).optional();
const Name = z.string().min(1).max(128);
const Params = z.record(z.string(), z.union([z.string().max(512), z.number(), z.boolean()]));

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

// mediasoup's RTP and DTLS shapes, checked for structure and size; mediasoup checks the values.
const RtcpFeedback = z.looseObject({ type: Name, parameter: z.string().max(64).optional() });
const CodecCapability = z.looseObject({
  kind: MediaKind,
  mimeType: Name,
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(16).optional(),
  parameters: Params.optional(),
  rtcpFeedback: z.array(RtcpFeedback).max(32).optional(),
});
const HeaderExtensionCapability = z.looseObject({
  kind: MediaKind,
  uri: z.string().min(1).max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});
export const RtpCapabilities = z.looseObject({
  codecs: z.array(CodecCapability).max(64).optional(),
  headerExtensions: z.array(HeaderExtensionCapability).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilities>;

const CodecParameters = z.looseObject({
  mimeType: Name,
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().min(1).max(16).optional(),
  parameters: Params.optional(),
  rtcpFeedback: z.array(RtcpFeedback).max(32).optional(),
});
const HeaderExtensionParameters = z.looseObject({
  uri: z.string().min(1).max(256),
  id: z.number().int().min(1).max(255),
  encrypt: z.boolean().optional(),
  parameters: Params.optional(),
});
const Encoding = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: z.string().max(32).optional(),
  codecPayloadType: z.number().int().optional(),
  rtx: z.looseObject({ ssrc: z.number().int().nonnegative() }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  maxBitrate: z.number().nonnegative().optional(),
});
export const RtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(CodecParameters).min(1).max(32),
  headerExtensions: z.array(HeaderExtensionParameters).max(32).optional(),
  encodings: z.array(Encoding).max(8).optional(),
  rtcp: z.looseObject({ cname: z.string().max(128).optional(), reducedSize: z.boolean().optional(), mux: z.boolean().optional() }).optional(),
});
export type RtpParameters = z.infer<typeof RtpParameters>;

export const DtlsParameters = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(z.strictObject({ algorithm: z.string().min(1).max(16), value: z.string().min(1).max(256) })).min(1).max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParameters>;

export const TransportDirection = z.enum(['send', 'recv']);
export type TransportDirection = z.infer<typeof TransportDirection>;

// ---- client → server ----

/** Enter a room (the room's owner decides whether this user may produce or consume there). */
export const MediaJoin = z.strictObject({ type: z.literal('media.join'), roomId: Id, id: RequestId });
/** A WebRTC transport on the server for sending (producer side) or receiving (consumers). */
export const MediaTransportCreate = z.strictObject({ type: z.literal('media.transport.create'), roomId: Id, direction: TransportDirection, id: RequestId });
export const MediaTransportConnect = z.strictObject({
  type: z.literal('media.transport.connect'),
  roomId: Id,
  transportId: Id,
  dtlsParameters: DtlsParameters,
  id: RequestId,
});
/** The producing side sends its one track (a room holds one producer). */
export const MediaProduce = z.strictObject({
  type: z.literal('media.produce'),
  roomId: Id,
  transportId: Id,
  kind: MediaKind,
  rtpParameters: RtpParameters,
  id: RequestId,
});
/**
 * A consumer of the room's producer on the given receive transport. Answered with media.consumer
 * (paused) once the producer exists; resume it with media.consumer.resume after it is set up.
 */
export const MediaConsume = z.strictObject({
  type: z.literal('media.consume'),
  roomId: Id,
  transportId: Id,
  rtpCapabilities: RtpCapabilities,
  id: RequestId,
});
export const MediaConsumerResume = z.strictObject({ type: z.literal('media.consumer.resume'), roomId: Id, consumerId: Id, id: RequestId });
/** Leaves the room from this connection: its transports, producer and consumers close. */
export const MediaLeave = z.strictObject({ type: z.literal('media.leave'), roomId: Id, id: RequestId });

export const MediaClientMessages = [
  MediaJoin,
  MediaTransportCreate,
  MediaTransportConnect,
  MediaProduce,
  MediaConsume,
  MediaConsumerResume,
  MediaLeave,
] as const;

// ---- server → client ----

const IceCandidate = z.looseObject({
  foundation: z.string(),
  priority: z.number(),
  ip: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.string(),
  tcpType: z.string().optional(),
});
const IceParameters = z.looseObject({ usernameFragment: z.string(), password: z.string(), iceLite: z.boolean().optional() });

/** The room's router capabilities, for mediasoup-client's Device.load. `role`: what this user may do there. */
export const MediaJoinedFrame = z.object({
  type: z.literal('media.joined'),
  roomId: z.string(),
  role: z.enum(['producer', 'consumer']),
  kinds: z.array(MediaKind),
  routerRtpCapabilities: RtpCapabilities,
  ref: z.string().optional(),
});
export const MediaTransportCreatedFrame = z.object({
  type: z.literal('media.transport.created'),
  roomId: z.string(),
  direction: TransportDirection,
  transportId: z.string(),
  iceParameters: IceParameters,
  iceCandidates: z.array(IceCandidate),
  dtlsParameters: DtlsParameters,
  ref: z.string().optional(),
});
export const MediaTransportConnectedFrame = z.object({ type: z.literal('media.transport.connected'), roomId: z.string(), transportId: z.string(), ref: z.string().optional() });
export const MediaProducedFrame = z.object({ type: z.literal('media.produced'), roomId: z.string(), producerId: z.string(), ref: z.string().optional() });
export const MediaConsumerFrame = z.object({
  type: z.literal('media.consumer'),
  roomId: z.string(),
  consumerId: z.string(),
  producerId: z.string(),
  kind: MediaKind,
  rtpParameters: RtpParameters,
  ref: z.string().optional(),
});

/** Why the server closed a consumer or a whole room. */
export const MediaCloseReason = z.enum(['revoked', 'ended', 'left', 'producer_closed', 'media_server_restarted', 'replaced']);
export type MediaCloseReason = z.infer<typeof MediaCloseReason>;

/** Your consumer was closed by the server (revoked, the producer went away): its track has ended. */
export const MediaConsumerClosedFrame = z.object({ type: z.literal('media.consumer.closed'), roomId: z.string(), consumerId: z.string(), reason: MediaCloseReason });
/** The room is gone for this connection (ended by its owner, or its media worker died): close everything of it. */
export const MediaRoomClosedFrame = z.object({ type: z.literal('media.room.closed'), roomId: z.string(), reason: MediaCloseReason, message: z.string() });

export const MediaServerMessages = [
  MediaJoinedFrame,
  MediaTransportCreatedFrame,
  MediaTransportConnectedFrame,
  MediaProducedFrame,
  MediaConsumerFrame,
  MediaConsumerClosedFrame,
  MediaRoomClosedFrame,
] as const;
