import Dexie, { type Table } from 'dexie';
import {
  type ContactRow,
  type InteractionRow,
  type MessageRow,
  type MetaRow,
  type NoteRow,
  type OutboxRow,
  type ProblemRow,
  type QueueRow,
  type SettingRow,
  type WrapupRow,
} from './records';

/**
 * The one local database of a signed-in user on one server. Indexes exist only for what is queried:
 * history newest first and retention (interactions.createdAt), an interaction's transcript
 * ([interactionId+seq]), its notes, contact and outbox entries (interactionId), outbox order (seq)
 * and a mutation by id.
 */
export class LocalDb extends Dexie {
  interactions!: Table<InteractionRow, string>;
  messages!: Table<MessageRow, string>;
  contacts!: Table<ContactRow, string>;
  notes!: Table<NoteRow, string>;
  wrapups!: Table<WrapupRow, string>;
  queues!: Table<QueueRow, string>;
  settings!: Table<SettingRow, string>;
  outbox!: Table<OutboxRow, number>;
  problems!: Table<ProblemRow, number>;
  meta!: Table<MetaRow, string>;

  constructor(name: string, options?: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }) {
    // No query cache: its results are deep-cloned on every read, and a change made in another
    // context (the sync worker) re-runs each live query twice with it (once for the cache, once
    // for the live query), which doubled the History view's work during a backfill.
    super(name, { cache: 'disabled', ...(options?.indexedDB ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : {}) });
    this.version(1).stores({
      interactions: 'id, createdAt',
      messages: 'id, [interactionId+seq]',
      contacts: 'id, interactionId',
      notes: 'id, interactionId',
      wrapups: 'interactionId',
      queues: 'id',
      settings: 'key',
      outbox: '++seq, &mutationId, interactionId',
      problems: '++id',
      meta: 'key',
    });
  }

  /** Every table that holds synced or pending data (not meta). */
  get dataTables() {
    return [this.interactions, this.messages, this.contacts, this.notes, this.wrapups, this.queues, this.settings, this.outbox, this.problems];
  }
}

export const DB_PREFIX = 'veildesk-data:';

/** `<userId>@<server host>`: two users, or one user on two servers, never share a database or key. */
export function localScope(userId: string, serverUrl: string): string {
  const host = new URL(serverUrl).host;
  const safeUser = userId.replace(/[^\w.~-]/g, '_');
  return `${safeUser}@${host}`;
}

export function dbNameFor(scope: string): string {
  return `${DB_PREFIX}${scope}`;
}
