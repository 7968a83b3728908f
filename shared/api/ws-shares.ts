import { z } from 'zod';
import { Role } from '../domain/roles';
import { SignalData } from './ws-interactions';

/**
 * Screen sharing over the WebSocket. The sharer chooses what (source, region, masks: applied on the
 * sharer's machine before encoding), who (viewers) and when (stop). The server keeps the viewer
 * list and relays WebRTC signaling for a share only between the sharer and viewers on that list;
 * anyone else gets an error frame and no media. See docs/protocol.md, "Screen sharing".
 */

const Id = z.string().min(1).max(64);
const RequestId = z.string().max(64).optional();

/** Largest side of a shared source or region, in source pixels. */
export const MAX_SHARE_SIDE = 16384;
/** Masks per share. */
export const MAX_SHARE_MASKS = 32;
/** Viewers per share (P2P: each one is an upload from the sharer's machine). */
export const MAX_SHARE_VIEWERS = 50;

const Coord = z.number().int().min(0).max(MAX_SHARE_SIDE);
const Side = z.number().int().min(1).max(MAX_SHARE_SIDE);

/** A rectangle in source pixels (top-left origin). */
export const ShareRect = z.strictObject({ x: Coord, y: Coord, width: Side, height: Side });
export type ShareRect = z.infer<typeof ShareRect>;

export const ShareSourceKind = z.enum(['screen', 'window', 'browser', 'unknown']);
export type ShareSourceKind = z.infer<typeof ShareSourceKind>;

/** What is shared, as the sharer's app describes it (for the audit log and the viewers' title). */
export const ShareSource = z.strictObject({
  kind: ShareSourceKind,
  label: z.string().max(200),
  width: Side,
  height: Side,
});
export type ShareSource = z.infer<typeof ShareSource>;

/** Why a viewer's video ended; also why a share ended for everyone. */
export const ShareEndReason = z.enum(['stopped', 'revoked', 'sharer_left', 'signed_out', 'left', 'replaced']);
export type ShareEndReason = z.infer<typeof ShareEndReason>;

/** Someone the sharer may choose as a viewer, or someone on the list. */
export const SharePerson = z.object({ userId: z.string(), username: z.string(), displayName: z.string(), role: Role });
export type SharePerson = z.infer<typeof SharePerson>;

/** The sharer's own view of their share. */
export const OwnShare = z.object({
  shareId: z.string(),
  startedAt: z.string(),
  source: ShareSource,
  region: ShareRect,
  masks: z.array(ShareRect),
  blanked: z.boolean(),
  /** Who may watch (the list the server enforces). */
  viewers: z.array(SharePerson),
  /** Who is watching now, a subset of viewers. */
  watchers: z.array(SharePerson.extend({ since: z.string() })),
});
export type OwnShare = z.infer<typeof OwnShare>;

/** A share a viewer may join. Carries nothing about the picture beyond its size. */
export const AvailableShare = z.object({
  shareId: z.string(),
  sharerId: z.string(),
  sharerName: z.string(),
  startedAt: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  blanked: z.boolean(),
  /** Whether this user is watching it now (from some connection). */
  watching: z.boolean(),
});
export type AvailableShare = z.infer<typeof AvailableShare>;

// ---- client → server ----

export const ShareStart = z.strictObject({
  type: z.literal('share.start'),
  source: ShareSource,
  region: ShareRect,
  masks: z.array(ShareRect).max(MAX_SHARE_MASKS).default([]),
  /** User ids allowed to watch; may be empty and chosen later with share.viewers. */
  viewers: z.array(Id).max(MAX_SHARE_VIEWERS).default([]),
  id: RequestId,
});
/** Region, masks or blanking changed; the picture already changed on the sharer's machine. */
export const ShareUpdate = z
  .strictObject({
    type: z.literal('share.update'),
    shareId: Id,
    region: ShareRect.optional(),
    masks: z.array(ShareRect).max(MAX_SHARE_MASKS).optional(),
    blanked: z.boolean().optional(),
    id: RequestId,
  })
  .refine((m) => m.region !== undefined || m.masks !== undefined || m.blanked !== undefined, 'give region, masks or blanked');
/** Replaces the list of who may watch. Removed viewers who are watching are revoked at once. */
export const ShareViewers = z.strictObject({ type: z.literal('share.viewers'), shareId: Id, viewers: z.array(Id).max(MAX_SHARE_VIEWERS), id: RequestId });
/** Removes one viewer; their video ends at once. */
export const ShareRevoke = z.strictObject({ type: z.literal('share.revoke'), shareId: Id, userId: Id, id: RequestId });
export const ShareStop = z.strictObject({ type: z.literal('share.stop'), shareId: Id, id: RequestId });
/** After a reconnect, the window that holds the capture takes its share back (within the grace period). */
export const ShareResume = z.strictObject({ type: z.literal('share.resume'), shareId: Id, id: RequestId });
export const ShareJoin = z.strictObject({ type: z.literal('share.join'), shareId: Id, id: RequestId });
export const ShareLeave = z.strictObject({ type: z.literal('share.leave'), shareId: Id, id: RequestId });
/**
 * WebRTC signaling. The sharer names the viewer in `to`; a viewer's signals always go to the sharer.
 * Relayed only between the sharer and a viewer on the list who has joined.
 */
export const ShareSignal = z.strictObject({ type: z.literal('share.signal'), shareId: Id, to: Id.optional(), signal: SignalData });
/** Asks who may be chosen as a viewer (the org's other staff users). */
export const ShareCandidatesRequest = z.strictObject({ type: z.literal('share.candidates'), id: RequestId });

export const ShareClientMessages = [
  ShareStart,
  ShareUpdate,
  ShareViewers,
  ShareRevoke,
  ShareStop,
  ShareResume,
  ShareJoin,
  ShareLeave,
  ShareSignal,
  ShareCandidatesRequest,
] as const;

// ---- server → client ----

/** The sharer's share after every change (null: no share). `ref` names the request it answers. */
export const ShareStateFrame = z.object({ type: z.literal('share.state'), share: OwnShare.nullable(), ref: z.string().optional() });
/** Every share this user may join, after hello and whenever that set or one of them changes. */
export const SharesAvailableFrame = z.object({ type: z.literal('shares.available'), shares: z.array(AvailableShare) });
/** To the sharer: a viewer joined; create a peer for them. */
export const ShareViewerJoinedFrame = z.object({ type: z.literal('share.viewer.joined'), shareId: z.string(), viewer: SharePerson });
/** To the sharer: a viewer left or was revoked; close their peer. */
export const ShareViewerLeftFrame = z.object({ type: z.literal('share.viewer.left'), shareId: z.string(), userId: z.string(), reason: ShareEndReason });
/** To the viewer's connection: the join was accepted; the sharer's offer follows. */
export const ShareWatchingFrame = z.object({ type: z.literal('share.watching'), share: AvailableShare, ref: z.string().optional() });
/** To a viewer's connection: their video of this share ended. */
export const ShareEndedFrame = z.object({ type: z.literal('share.ended'), shareId: z.string(), reason: ShareEndReason });
export const ShareSignalFrame = z.object({ type: z.literal('share.signal'), shareId: z.string(), from: z.string(), signal: z.record(z.string(), z.unknown()) });
export const ShareCandidatesFrame = z.object({ type: z.literal('share.candidates'), users: z.array(SharePerson), ref: z.string().optional() });

export const ShareServerMessages = [
  ShareStateFrame,
  SharesAvailableFrame,
  ShareViewerJoinedFrame,
  ShareViewerLeftFrame,
  ShareWatchingFrame,
  ShareEndedFrame,
  ShareSignalFrame,
  ShareCandidatesFrame,
] as const;
