/**
 * The privacy data map's vocabulary. Each module declares, in its own data-map.ts, every store of
 * data it keeps (tables and their columns, files, the kinds it syncs into agents' local caches)
 * and, for those holding personal data, how a person's data is found there, what an erasure does
 * and which retention class purges it by age. server/modules/privacy/data-map.ts gathers them; a
 * test compares the map with the database's real schema, so a table or column added without a
 * classification fails the build, and requests and retention can iterate over one list.
 */

/** What one column holds. */
export type ColumnClass =
  /** The row's id, a foreign key or a lookup value: a link, not personal on its own. */
  | 'link'
  /** Identifies a person or is what they said, wrote or recorded (names, contact fields, text). */
  | 'personal'
  /** A credential (a hash): erased or revoked with the account, never exported. */
  | 'secret'
  /** Times, statuses, counts, settings: not personal on their own. */
  | 'meta';

/** Whose personal data a store holds. */
export type DataSubject = 'customer' | 'staff' | 'none';

/** How a store's rows for one person are found. */
export interface SubjectLookup {
  /** Column holding the interaction id: a customer is found through their interactions. */
  interactionColumn?: string;
  /** Column holding a staff user's id. */
  userColumn?: string;
  /** Columns compared with what an officer searches by (e-mail, name, phone). */
  matchColumns?: readonly string[];
}

/** What erasing a person's data does to their rows here. */
export type EraseRule =
  | { kind: 'delete' }
  | { kind: 'clear'; columns: readonly string[] }
  /** Kept on purpose (the reason is shown in requests' receipts), e.g. the audit log's ids. */
  | { kind: 'keep'; why: string };

/** Which org retention setting purges the store by age (or why none does). */
export type RetentionClass = 'transcripts' | 'recordings' | 'contacts' | 'interactions' | 'audit' | 'sessions' | 'none';

export interface TableMapEntry {
  table: string;
  /** What the table is, in a sentence. */
  about: string;
  subject: DataSubject;
  columns: Readonly<Record<string, ColumnClass>>;
  find?: SubjectLookup;
  erase?: EraseRule;
  retention?: RetentionClass;
  /**
   * For a `clear` rule whose columns age under different retention classes (the interactions table:
   * contact fields under `contacts`, wrap-up notes under `transcripts`): which columns each class
   * clears. Without it every cleared column follows `retention`.
   */
  retentionColumns?: Partial<Record<RetentionClass, readonly string[]>>;
  /**
   * The local-cache kind each row is synced as (entity id = the row's `id`): a purge tombstones the
   * rows it deletes under this kind, so every agent's local copy goes too.
   */
  syncKind?: string;
}

export interface FileMapEntry {
  /** Where (relative to the data dir, or the object store's prefix). */
  location: string;
  about: string;
  subject: DataSubject;
  find: SubjectLookup;
  erase: EraseRule;
  retention: RetentionClass;
}

/** A kind of record synced into agents' local caches (IndexedDB): reached by tombstones through sync. */
export interface LocalCacheMapEntry {
  kind: string;
  about: string;
  subject: DataSubject;
}

export interface ModuleDataMap {
  module: string;
  tables: readonly TableMapEntry[];
  files?: readonly FileMapEntry[];
  localCache?: readonly LocalCacheMapEntry[];
}
