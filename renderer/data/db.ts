import Dexie, { type Table } from 'dexie';
import {
  type ChatOutboxRow,
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
import { type IdbEnv, LOCAL_DATA_DB, dexieOptions } from './idb/databases';

/** The one local database of a signed-in user on one server: LOCAL_DATA_DB of data/idb (its stores and why each index exists). */
export class LocalDb extends Dexie {
  interactions!: Table<InteractionRow, string>;
  messages!: Table<MessageRow, string>;
  contacts!: Table<ContactRow, string>;
  notes!: Table<NoteRow, string>;
  wrapups!: Table<WrapupRow, string>;
  queues!: Table<QueueRow, string>;
  settings!: Table<SettingRow, string>;
  outbox!: Table<OutboxRow, number>;
  chatOutbox!: Table<ChatOutboxRow, string>;
  problems!: Table<ProblemRow, number>;
  meta!: Table<MetaRow, string>;

  constructor(name: string, options?: IdbEnv) {
    // No query cache: its results are deep-cloned on every read, and a change made in another
    // context (the sync worker) re-runs each live query twice with it (once for the cache, once
    // for the live query), which doubled the History view's work during a backfill.
    super(name, dexieOptions(options));
    this.version(LOCAL_DATA_DB.version).stores(LOCAL_DATA_DB.stores);
  }

  /** Every table that holds synced or pending data (not meta). */
  get dataTables() {
    return [this.interactions, this.messages, this.contacts, this.notes, this.wrapups, this.queues, this.settings, this.outbox, this.chatOutbox, this.problems];
  }
}

export const DB_PREFIX = LOCAL_DATA_DB.prefix;

/** `<userId>@<server host>` (shared/bridge: main derives the same scope for the user a window is bound to). */
export { localScope } from '../../shared';

export function dbNameFor(scope: string): string {
  return `${DB_PREFIX}${scope}`;
}
