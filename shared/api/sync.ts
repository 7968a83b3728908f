import { z } from 'zod';
import { ErrorCode } from './errors';
import { ChatMessage, InteractionKind, InteractionStatus, Queue } from '../domain/interactions';

/**
 * Offline-first sync between the agent's local cache and the server. See docs/sync.md.
 *
 * - The server keeps a change log: one row per entity, moved to a new sequence number on every
 *   change (so a pull never sends stale intermediate states). Cursors are those sequence numbers.
 * - `GET /api/sync/head` gives the newest interactions at once (no messages); `GET /api/sync/pull`
 *   walks the change log after a cursor, in pages, for the backfill and for every later change;
 *   `GET /api/sync/interactions/:id` gives one interaction in full (transcript included) on demand.
 * - `POST /api/sync/push` applies outbox mutations exactly once each (by mutationId).
 * - The WebSocket sends `sync.nudge` when changes concern the user; the client then pulls.
 */

const Id = z.string().min(1).max(64);
/** Client-generated mutation ids (UUIDs recommended); unique per user forever. */
export const MutationId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _ only (a UUID)');
/** A change-log position, as a decimal string. Opaque to the client: store it and send it back. */
export const SyncCursor = z.string().regex(/^\d{1,15}$/, 'pass a cursor the server returned, or 0');
export type SyncCursor = z.infer<typeof SyncCursor>;

/** Longest agent note accepted. */
export const MAX_NOTE_TEXT = 10_000;
/** Mutations per push request (bodies may be up to 1 MiB on this route). */
export const MAX_PUSH_MUTATIONS = 200;
export const SYNC_PUSH_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 2000;
export const DEFAULT_HEAD_LIMIT = 200;
export const MAX_HEAD_LIMIT = 1000;

// ---------------------------------------------------------------- entities

export const SyncEntityKind = z.enum(['interaction', 'message', 'contact', 'note', 'wrapup', 'queue', 'setting']);
export type SyncEntityKind = z.infer<typeof SyncEntityKind>;

/** An interaction without the customer's details (those are the `contact` entity, id = contactId). */
export const SyncInteraction = z.object({
  id: z.string(),
  kind: InteractionKind,
  status: InteractionStatus,
  queueId: z.string(),
  queueName: z.string(),
  /** The contact entity holding the customer's name and e-mail (today: one per interaction, same id). */
  contactId: z.string(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  disposition: z.string().nullable(),
});
export type SyncInteraction = z.infer<typeof SyncInteraction>;

/** Sensitive: encrypt at rest. */
export const SyncContact = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
export type SyncContact = z.infer<typeof SyncContact>;

/** Sensitive (text): encrypt at rest. Same shape as the live chat message. */
export const SyncMessage = ChatMessage;
export type SyncMessage = z.infer<typeof SyncMessage>;

/**
 * Why a note is a conflict copy: the losing side of a conflict, kept visible to the user.
 * - `concurrent_edit`: this text was overwritten by a later edit from another device (the note `of`).
 * - `edited_after_delete`: this edit arrived after the note `of` was deleted.
 * - `deleted_while_edited`: the note `of` was deleted by a device that had not seen this text.
 * - `wrapup_already_submitted`: a second wrap-up for interaction `of`; its disposition and notes.
 */
export const NoteConflictReason = z.enum(['concurrent_edit', 'edited_after_delete', 'deleted_while_edited', 'wrapup_already_submitted']);
export type NoteConflictReason = z.infer<typeof NoteConflictReason>;

/** An agent's note on an interaction. Sensitive (text): encrypt at rest. */
export const SyncNote = z.object({
  id: z.string(),
  interactionId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Set on conflict copies: why it exists and the entity (note id or interaction id) it lost to. */
  conflict: z.object({ reason: NoteConflictReason, of: z.string() }).nullable(),
});
export type SyncNote = z.infer<typeof SyncNote>;

/** The wrap-up (disposition) of an interaction; id = interactionId. `notes` is sensitive. */
export const SyncWrapup = z.object({
  interactionId: z.string(),
  /** Null when the time ran out before any wrap-up arrived. */
  disposition: z.string().nullable(),
  notes: z.string(),
  submittedAt: z.string(),
  /** Username of the agent, or `system` when it timed out. */
  by: z.string(),
  /** The server closed it because the wrap-up time ran out. */
  timedOut: z.boolean(),
  /** The agent's wrap-up arrived after the timeout closed it (offline) and was applied late. */
  late: z.boolean(),
});
export type SyncWrapup = z.infer<typeof SyncWrapup>;

export const SyncQueue = Queue;
export type SyncQueue = z.infer<typeof SyncQueue>;

/** Org settings the client obeys. `retentionDays`: purge local data older than this (by createdAt). */
export const SyncSetting = z.object({ key: z.literal('retentionDays'), value: z.number().int().min(1) });
export type SyncSetting = z.infer<typeof SyncSetting>;

/** GET/PUT /api/admin/sync-settings (admins): the settings every app receives through sync. */
export const SyncSettings = z.strictObject({
  /** Days the apps keep local data (by the interaction's createdAt); 1 to 3650. Default 30. */
  retentionDays: z.number().int().min(1).max(3650),
});
export type SyncSettings = z.infer<typeof SyncSettings>;

// ---------------------------------------------------------------- change records

const ChangeBase = {
  id: z.string(),
  /**
   * The entity's version: the log position of its last data change. Apply a record only when its
   * version is higher than the local copy's (or there is none). Versions only grow.
   */
  version: z.number().int().min(1),
  /** The interaction the entity belongs to (null for queues and settings): for scoping and cascades. */
  interactionId: z.string().nullable(),
};

const upsert = <K extends SyncEntityKind, S extends z.ZodType>(kind: K, data: S) =>
  z.object({ ...ChangeBase, kind: z.literal(kind), op: z.literal('upsert'), data });

export const SyncUpsert = z.discriminatedUnion('kind', [
  upsert('interaction', SyncInteraction),
  upsert('message', SyncMessage),
  upsert('contact', SyncContact),
  upsert('note', SyncNote),
  upsert('wrapup', SyncWrapup),
  upsert('queue', SyncQueue),
  upsert('setting', SyncSetting),
]);
export type SyncUpsert = z.infer<typeof SyncUpsert>;

/**
 * The entity is gone: remove every local copy. A tombstone for an `interaction` also means every
 * entity with that interactionId (messages, contact, notes, wrap-up); the server sends those too.
 */
export const SyncTombstone = z.object({
  ...ChangeBase,
  kind: SyncEntityKind,
  op: z.literal('tombstone'),
  reason: z.enum(['deleted', 'erased']),
});
export type SyncTombstone = z.infer<typeof SyncTombstone>;

export const SyncChange = z.union([SyncUpsert, SyncTombstone]);
export type SyncChange = z.infer<typeof SyncChange>;

// ---------------------------------------------------------------- pull

/** GET /api/sync/pull?after=&limit= — changes in the caller's scope after the cursor, oldest first. */
export const SyncPullQuery = z.strictObject({
  after: SyncCursor.default('0'),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export type SyncPullQuery = z.infer<typeof SyncPullQuery>;

export const SyncPullResponse = z.object({
  changes: z.array(SyncChange),
  /** Store with the page, in the same local transaction; send as `after` next time. */
  cursor: SyncCursor,
  /** More changes are waiting: pull again at once. */
  hasMore: z.boolean(),
  /** Changes in scope after `cursor` (for progress: applied / (applied + remaining)). */
  remaining: z.number().int().min(0),
});
export type SyncPullResponse = z.infer<typeof SyncPullResponse>;

/**
 * GET /api/sync/head?limit= — the newest interactions in scope (by createdAt), with their contacts,
 * wrap-ups and notes, plus every queue and setting; no messages. For the first screen after
 * sign-in; the pull backfills everything (these again included: versions make that harmless).
 */
export const SyncHeadQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_HEAD_LIMIT).default(DEFAULT_HEAD_LIMIT),
});
export type SyncHeadQuery = z.infer<typeof SyncHeadQuery>;

export const SyncHeadResponse = z.object({
  changes: z.array(SyncUpsert),
  /** Interactions in the caller's scope in all (for "200 of 10,000"). */
  totalInteractions: z.number().int().min(0),
  /** Changes in scope after cursor 0: what a full backfill will bring (for progress). */
  totalChanges: z.number().int().min(0),
});
export type SyncHeadResponse = z.infer<typeof SyncHeadResponse>;

/** GET /api/sync/interactions/:id — one interaction in full (transcript included), e.g. when opened before the backfill reached it. */
export const SyncInteractionResponse = z.object({ changes: z.array(SyncUpsert) });
export type SyncInteractionResponse = z.infer<typeof SyncInteractionResponse>;

// ---------------------------------------------------------------- push

const MutationBase = { mutationId: MutationId };

/** A new note; noteId is generated by the client (UUID) so the outbox can refer to it before push. */
export const NoteCreateMutation = z.strictObject({
  ...MutationBase,
  type: z.literal('note.create'),
  noteId: Id,
  interactionId: Id,
  text: z.string().min(1).max(MAX_NOTE_TEXT),
});
/** baseVersion: the version of the note the device edited (0 if it edits its own unpushed note). */
export const NoteEditMutation = z.strictObject({
  ...MutationBase,
  type: z.literal('note.edit'),
  noteId: Id,
  baseVersion: z.number().int().min(0),
  text: z.string().min(1).max(MAX_NOTE_TEXT),
});
export const NoteDeleteMutation = z.strictObject({
  ...MutationBase,
  type: z.literal('note.delete'),
  noteId: Id,
  baseVersion: z.number().int().min(0),
});
export const WrapupSubmitMutation = z.strictObject({
  ...MutationBase,
  type: z.literal('wrapup.submit'),
  interactionId: Id,
  disposition: z.string().min(1).max(100),
  notes: z.string().max(4000).default(''),
});

export const SyncMutation = z.discriminatedUnion('type', [NoteCreateMutation, NoteEditMutation, NoteDeleteMutation, WrapupSubmitMutation]);
export type SyncMutation = z.infer<typeof SyncMutation>;
export type SyncMutationInput = z.input<typeof SyncMutation>;

/** POST /api/sync/push — applied in order; each one exactly once, however often it is sent. */
export const SyncPushRequest = z.strictObject({
  mutations: z.array(SyncMutation).min(1).max(MAX_PUSH_MUTATIONS),
});
export type SyncPushRequest = z.infer<typeof SyncPushRequest>;

/**
 * - `applied`: done; `changes` are the resulting entities with their versions.
 * - `conflict`: resolved by a rule (docs/sync.md); `changes` as above, `kept` the losing side,
 *   kept visible as a conflict-copy note. Remove the mutation from the outbox.
 * - `rejected`: will never apply (not found, forbidden, unknown disposition…); `error` says why.
 *   Remove it from the outbox and tell the user.
 * - `duplicate`: this mutationId was already handled; `original`, `resolution` and `error` are
 *   the first answer's; `changes` and `kept` are the current records of the same entities (a
 *   later version or a tombstone if they changed since).
 */
export const SyncMutationStatus = z.enum(['applied', 'conflict', 'rejected', 'duplicate']);
export type SyncMutationStatus = z.infer<typeof SyncMutationStatus>;

/**
 * Which rule decided, when one did: `late_wrapup` (the wrap-up arrived after the timeout closed the
 * interaction and was applied late), or the NoteConflictReason of the conflict copy.
 */
export const SyncResolution = z.enum(['late_wrapup', ...NoteConflictReason.options]);
export type SyncResolution = z.infer<typeof SyncResolution>;

export const SyncMutationResult = z.object({
  mutationId: z.string(),
  status: SyncMutationStatus,
  /** For `duplicate`: the status of the first answer. */
  original: SyncMutationStatus.exclude(['duplicate']).optional(),
  resolution: SyncResolution.optional(),
  changes: z.array(SyncChange),
  kept: SyncChange.optional(),
  error: z.object({ code: ErrorCode, message: z.string() }).optional(),
});
export type SyncMutationResult = z.infer<typeof SyncMutationResult>;

export const SyncPushResponse = z.object({ results: z.array(SyncMutationResult) });
export type SyncPushResponse = z.infer<typeof SyncPushResponse>;

// ---------------------------------------------------------------- erasure

/**
 * POST /api/interactions/:id/erase (admins): removes the customer's words and details from a
 * closed interaction (messages, contact, agents' notes, wrap-up notes). Every copy goes out as a
 * tombstone with reason `erased`; the interaction row stays on the server without personal data
 * (times, queue, agent, disposition) for reports, and leaves every client.
 */
export const EraseInteractionResponse = z.object({
  interactionId: z.string(),
  messages: z.number().int(),
  notes: z.number().int(),
});
export type EraseInteractionResponse = z.infer<typeof EraseInteractionResponse>;

// ---------------------------------------------------------------- WebSocket

/** New changes concern this user (sent at most every ~100 ms); pull after your cursor. */
export const SyncNudge = z.object({
  type: z.literal('sync.nudge'),
  /** The newest change position that concerns the user; no need to pull if yours is not lower. */
  cursor: SyncCursor,
});
export type SyncNudge = z.infer<typeof SyncNudge>;

export const SyncServerMessages = [SyncNudge] as const;
