import { z } from 'zod';

/**
 * The media RPC between the lease holder and the node that owns a room's router (several nodes,
 * docs/architecture.md "The SFU on several nodes"). Everything travels on the receiving node's
 * channel `<prefix>media:<nodeId>`; the sender's node id comes with RedisLink's envelope.
 */

export const MEDIA_OPS = [
  'open',
  'join',
  'createTransport',
  'connectTransport',
  'produce',
  'consume',
  'resumeConsumer',
  'leave',
  'dropUser',
  'dropEndpoint',
  'setPaused',
  'close',
] as const;
export type MediaOp = (typeof MEDIA_OPS)[number];

const closeReason = z.enum(['revoked', 'ended', 'left', 'producer_closed', 'media_server_restarted', 'replaced']);

export const mediaRequestSchema = z.object({
  kind: z.literal('req'),
  reqId: z.string().min(1).max(64),
  /** The holder's fencing token: a media node refuses a token lower than the highest it has seen. */
  token: z.number().int().nonnegative(),
  roomId: z.string().min(1).max(200),
  op: z.enum(MEDIA_OPS),
  /** The connection the request is for, as the holder names it. */
  endpointId: z.string().max(64).optional(),
  userId: z.string().max(64).optional(),
  /** What the room's policy on the holder allows this connection now (null: nothing). */
  role: z.enum(['producer', 'consumer']).nullable().optional(),
  args: z.array(z.unknown()).max(8),
});
export type MediaRequest = z.infer<typeof mediaRequestSchema>;

export const mediaReplySchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('res'), reqId: z.string(), ok: z.literal(true) }),
  z.object({ kind: z.literal('res'), reqId: z.string(), ok: z.literal(false), code: z.string().max(40), message: z.string().max(500) }),
]);
export type MediaReply = z.infer<typeof mediaReplySchema>;

/** Unasked, from a room's node to its holder: a frame for one connection, or the room closed by itself. */
export const mediaEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), roomId: z.string(), endpointId: z.string(), message: z.object({ type: z.string().startsWith('media.') }).passthrough() }),
  z.object({ kind: z.literal('closed'), roomId: z.string(), reason: closeReason }),
]);
export type MediaEvent = z.infer<typeof mediaEventSchema>;

export const mediaMessageSchema = z.union([mediaRequestSchema, mediaReplySchema, mediaEventSchema]);

/** A node's media beacon, `<prefix>media:node:<nodeId>`, refreshed every renewal with the lease's TTL. */
export const mediaBeaconSchema = z.object({
  /** The address(es) clients reach this node's media on (its ICE candidates). */
  announced: z.string().max(400),
  workers: z.number().int().nonnegative(),
  rooms: z.number().int().nonnegative(),
  /**
   * The fencing token while the node holds the routing lease. A newer holder places nothing on a
   * deposed holder (it exits, fail-stop), though its last beacon can outlive its lease by a renewal.
   */
  holding: z.number().int().nonnegative().optional(),
});
export type MediaBeacon = z.infer<typeof mediaBeaconSchema>;

/** The room registry, `<prefix>media:room:<roomId>`: the node with the room's router and the holder's token. */
export const roomEntrySchema = z.object({ nodeId: z.string(), token: z.number().int().nonnegative() });
export type RoomEntry = z.infer<typeof roomEntrySchema>;

export const mediaChannel = (nodeId: string): string => `media:${nodeId}`;
export const beaconKey = (nodeId: string): string => `media:node:${nodeId}`;
export const roomKey = (roomId: string): string => `media:room:${roomId}`;
export const BEACON_PATTERN = 'media:node:*';

/** A request unanswered for this long is refused and its room closed. */
export const MEDIA_RPC_TIMEOUT_MS = 5_000;
