import { type ChatAuthor, type InteractionKind, type InteractionStatus, type NoteConflictReason, type SyncMutation } from '../../shared';

/**
 * What the local database stores. Sensitive values are AES-GCM ciphertext (`Uint8Array`, see
 * crypto/field-cipher.ts) under `sealed`; everything else is plain so it can be indexed and listed.
 * `version` is the server's version of the entity (0: written here, not yet confirmed).
 */

export interface InteractionRow {
  id: string;
  version: number;
  kind: InteractionKind;
  status: InteractionStatus;
  queueId: string;
  queueName: string;
  contactId: string;
  agentId: string | null;
  agentName: string | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  disposition: string | null;
}

/** Sealed: { name, email }. */
export interface ContactRow {
  id: string;
  version: number;
  interactionId: string | null;
  sealed: Uint8Array;
}
export interface ContactFields {
  name: string | null;
  email: string | null;
}

/** Sealed: { text, authorName } (a customer's name is contact data too). */
export interface MessageRow {
  id: string;
  version: number;
  interactionId: string;
  seq: number;
  from: ChatAuthor;
  at: string;
  sealed: Uint8Array;
}
export interface MessageFields {
  text: string;
  authorName: string;
}

/** Sealed: { text }. `pending` 1 while a local create or edit waits in the outbox. */
export interface NoteRow {
  id: string;
  version: number;
  interactionId: string;
  authorId: string;
  authorName: string;
  createdAt: string;
  updatedAt: string;
  conflict: { reason: NoteConflictReason; of: string } | null;
  pending: 0 | 1;
  sealed: Uint8Array;
}
export interface NoteFields {
  text: string;
}

/** The wrap-up (disposition) of an interaction. Sealed: { notes }. */
export interface WrapupRow {
  interactionId: string;
  version: number;
  disposition: string | null;
  submittedAt: string;
  by: string;
  timedOut: boolean;
  late: boolean;
  pending: 0 | 1;
  sealed: Uint8Array;
}
export interface WrapupFields {
  notes: string;
}

export interface QueueRow {
  id: string;
  version: number;
  name: string;
  dispositions: string[];
  offerTimeoutMs: number;
  memberIds: string[];
}

export interface SettingRow {
  key: 'retentionDays';
  version: number;
  value: number;
}

/** A change made here, waiting to be pushed. Sealed: the SyncMutation itself (it carries note text). */
/** A chat message the agent sent that the server has not acknowledged yet (its text sealed). */
export interface ChatOutboxRow {
  clientMsgId: string;
  interactionId: string;
  /** Epoch ms the agent pressed send; resends keep this order. */
  createdAt: number;
  sealed: Uint8Array;
}

export interface OutboxRow {
  seq?: number;
  mutationId: string;
  type: SyncMutation['type'];
  interactionId: string;
  /** The note a note mutation is about, else null. */
  noteId: string | null;
  queuedAt: number;
  attempts: number;
  lastError: string | null;
  sealed: Uint8Array;
}

/**
 * What the user must hear about a pushed change: `rejected` (the server refused it for good; the
 * text typed is kept here, sealed as { text }) or `conflict` (another edit won; the losing text is
 * kept as a conflict-copy note). Stays until the user dismisses it.
 */
export interface ProblemRow {
  id?: number;
  kind: 'rejected' | 'conflict';
  /** Random; binds the sealed text to this row. */
  ref: string;
  at: number;
  interactionId: string;
  message: string;
  sealed: Uint8Array;
}

export type MetaKey = 'cursor' | 'keyCheck' | 'head' | 'backfill' | 'lastSync' | 'lastError' | 'retentionPurge' | 'outOfBand';

export interface MetaRow {
  key: MetaKey;
  value: unknown;
}

/** Backfill progress, written by the sync leader with each page so every tab can show it. */
export interface BackfillProgress {
  applied: number;
  total: number;
  done: boolean;
}
