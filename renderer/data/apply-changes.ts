import { type Table } from 'dexie';
import { type SyncChange, type SyncTombstone } from '../../shared';
import { type FieldCipher } from './crypto/field-cipher';
import { type LocalDb } from './db';
import {
  type ContactFields,
  type ContactRow,
  type InteractionRow,
  type MessageFields,
  type MessageRow,
  type NoteFields,
  type NoteRow,
  type QueueRow,
  type SettingRow,
  type WrapupFields,
  type WrapupRow,
} from './records';

/** Where each sealed value belongs; the cipher binds the ciphertext to it. */
export const sealContext = {
  contact: (id: string) => `contact:${id}`,
  message: (id: string) => `message:${id}`,
  note: (id: string) => `note:${id}`,
  wrapup: (interactionId: string) => `wrapup:${interactionId}`,
  outbox: (mutationId: string) => `outbox:${mutationId}`,
  chatOutbox: (clientMsgId: string) => `chat-outbox:${clientMsgId}`,
  problem: (ref: string) => `problem:${ref}`,
};

/** Server changes turned into rows (sensitive fields sealed), ready to be written in one transaction. */
export interface PreparedChanges {
  interactions: InteractionRow[];
  contacts: ContactRow[];
  messages: MessageRow[];
  notes: NoteRow[];
  wrapups: WrapupRow[];
  queues: QueueRow[];
  settings: SettingRow[];
  tombstones: SyncTombstone[];
  /** Rows in the page, for progress. */
  count: number;
}

export interface ApplyStats {
  written: number;
  skippedOlder: number;
  deleted: number;
  /** Outbox entries dropped because what they change was erased. */
  discardedOutbox: number;
  retentionChanged: boolean;
}

/** Latest version per id wins inside a page (a page never should repeat an id, but be safe). */
export function latest<T extends { version: number }>(rows: T[], key: (row: T) => string): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) {
    const seen = byId.get(key(row));
    if (!seen || seen.version < row.version) byId.set(key(row), row);
  }
  return [...byId.values()];
}

/**
 * Turns changes into rows. Runs before the transaction because WebCrypto is asynchronous and an
 * IndexedDB transaction commits as soon as it has nothing to do.
 */
export async function prepareChanges(changes: readonly SyncChange[], cipher: FieldCipher): Promise<PreparedChanges> {
  const out: PreparedChanges = { interactions: [], contacts: [], messages: [], notes: [], wrapups: [], queues: [], settings: [], tombstones: [], count: changes.length };
  // Sensitive fields are sealed all at once (sealMany), then each row is built with its ciphertext.
  const toSeal: { value: unknown; context: string }[] = [];
  const build: ((sealed: Uint8Array) => void)[] = [];
  const seal = (value: unknown, context: string, row: (sealed: Uint8Array) => void) => {
    toSeal.push({ value, context });
    build.push(row);
  };
  for (const change of changes) {
    if (change.op === 'tombstone') {
      out.tombstones.push(change);
      continue;
    }
    const version = change.version;
    switch (change.kind) {
      case 'interaction': {
        const d = change.data;
        out.interactions.push({
          id: d.id, version, kind: d.kind, status: d.status, queueId: d.queueId, queueName: d.queueName, contactId: d.contactId,
          agentId: d.agentId, agentName: d.agentName, createdAt: d.createdAt, answeredAt: d.answeredAt, endedAt: d.endedAt, disposition: d.disposition,
        });
        break;
      }
      case 'contact': {
        const d = change.data;
        const interactionId = change.interactionId;
        seal({ name: d.name, email: d.email } satisfies ContactFields, sealContext.contact(d.id), (sealed) => out.contacts.push({ id: d.id, version, interactionId, sealed }));
        break;
      }
      case 'message': {
        const d = change.data;
        seal({ text: d.text, authorName: d.authorName } satisfies MessageFields, sealContext.message(d.id), (sealed) =>
          out.messages.push({ id: d.id, version, interactionId: d.interactionId, seq: d.seq, from: d.from, at: d.at, sealed }),
        );
        break;
      }
      case 'note': {
        const d = change.data;
        seal({ text: d.text } satisfies NoteFields, sealContext.note(d.id), (sealed) =>
          out.notes.push({
            id: d.id, version, interactionId: d.interactionId, authorId: d.authorId, authorName: d.authorName, createdAt: d.createdAt,
            updatedAt: d.updatedAt, conflict: d.conflict, pending: 0, sealed,
          }),
        );
        break;
      }
      case 'wrapup': {
        const d = change.data;
        seal({ notes: d.notes } satisfies WrapupFields, sealContext.wrapup(d.interactionId), (sealed) =>
          out.wrapups.push({ interactionId: d.interactionId, version, disposition: d.disposition, submittedAt: d.submittedAt, by: d.by, timedOut: d.timedOut, late: d.late, pending: 0, sealed }),
        );
        break;
      }
      case 'queue': {
        const d = change.data;
        out.queues.push({ id: d.id, version, name: d.name, dispositions: d.dispositions, offerTimeoutMs: d.offerTimeoutMs, memberIds: d.memberIds });
        break;
      }
      case 'setting':
        out.settings.push({ key: change.data.key, version, value: change.data.value });
        break;
    }
  }
  const sealed = await cipher.sealMany(toSeal);
  sealed.forEach((bytes, i) => build[i]!(bytes));
  return out;
}

/**
 * Counts writes of server records that did not come from the pull's pages (the head, an interaction
 * fetched when opened, push answers). A pull page requested before such a write may hold older
 * copies of what it wrote, so the page writer checks versions row by row only then
 * (sync/page-writer.ts).
 */
export async function markOutOfBandWrite(db: LocalDb): Promise<void> {
  const row = await db.meta.get('outOfBand');
  await db.meta.put({ key: 'outOfBand', value: ((row?.value as number | undefined) ?? 0) + 1 });
}

/**
 * Writes prepared rows (only where the server's version is newer than ours, and never over a local
 * edit still waiting to be pushed) and applies tombstones. Call inside a transaction over every
 * data table and meta (see `applyInTransaction`). `fromPull`: the rows are a pull page (not counted
 * as an out-of-band write).
 */
export async function applyPrepared(db: LocalDb, p: PreparedChanges, opts: { fromPull?: boolean } = {}): Promise<ApplyStats> {
  const stats: ApplyStats = { written: 0, skippedOlder: 0, deleted: 0, discardedOutbox: 0, retentionChanged: false };
  if (!opts.fromPull && p.count > 0) await markOutOfBandWrite(db);

  async function upsert<T extends { version: number; pending?: 0 | 1 }>(table: Table<T, string>, rows: T[], key: (row: T) => string) {
    if (rows.length === 0) return;
    const unique = latest(rows, key);
    const existing = await table.bulkGet(unique.map(key));
    const fresh = unique.filter((row, i) => {
      const local = existing[i];
      const keep = !local || (local.version < row.version && local.pending !== 1);
      if (!keep) stats.skippedOlder += 1;
      return keep;
    });
    if (fresh.length) await table.bulkPut(fresh);
    stats.written += fresh.length;
  }

  await upsert(db.interactions, p.interactions, (r) => r.id);
  await upsert(db.contacts, p.contacts, (r) => r.id);
  await upsert(db.messages, p.messages, (r) => r.id);
  await upsert(db.notes, p.notes, (r) => r.id);
  await upsert(db.wrapups, p.wrapups, (r) => r.interactionId);
  await upsert(db.queues, p.queues, (r) => r.id);
  const settingsBefore = stats.written;
  await upsert(db.settings, p.settings, (r) => r.key);
  stats.retentionChanged = stats.written > settingsBefore;

  for (const t of p.tombstones) await applyTombstone(db, t, stats);
  return stats;
}

/** Removes every local copy of what the tombstone names; an interaction takes everything of it along. */
async function applyTombstone(db: LocalDb, t: SyncTombstone, stats: ApplyStats): Promise<void> {
  switch (t.kind) {
    case 'interaction':
      stats.deleted += await deleteInteractionEverywhere(db, t.id);
      stats.discardedOutbox += await db.outbox.where('interactionId').equals(t.id).delete();
      stats.discardedOutbox += await db.chatOutbox.where('interactionId').equals(t.id).delete();
      return;
    case 'message':
      await db.messages.delete(t.id);
      break;
    case 'contact':
      await db.contacts.delete(t.id);
      break;
    case 'note':
      await db.notes.delete(t.id);
      // An erased note takes our unsent edits of it along; a deleted one lets them through, the
      // server turns them into a visible conflict copy.
      if (t.reason === 'erased') stats.discardedOutbox += await db.outbox.filter((row) => row.noteId === t.id).delete();
      break;
    case 'wrapup':
      await db.wrapups.delete(t.id);
      break;
    case 'queue':
      await db.queues.delete(t.id);
      break;
    case 'setting':
      await db.settings.delete(t.id);
      break;
  }
  stats.deleted += 1;
}

/** Deletes an interaction and everything stored about it; returns how many rows went. */
export async function deleteInteractionEverywhere(db: LocalDb, id: string): Promise<number> {
  let n = 0;
  const interaction = await db.interactions.get(id);
  if (interaction) {
    await db.interactions.delete(id);
    n += 1;
    n += (await db.contacts.get(interaction.contactId)) ? (await db.contacts.delete(interaction.contactId), 1) : 0;
  }
  n += await db.contacts.where('interactionId').equals(id).delete();
  n += await db.messages.where('[interactionId+seq]').between([id, -Infinity], [id, Infinity]).delete();
  n += await db.notes.where('interactionId').equals(id).delete();
  if (await db.wrapups.get(id)) {
    await db.wrapups.delete(id);
    n += 1;
  }
  n += await db.problems.filter((p) => p.interactionId === id).delete();
  return n;
}

/** Prepared changes written in one transaction, with `extra` (e.g. the page's cursor) in the same one. */
export function applyInTransaction(db: LocalDb, p: PreparedChanges, extra?: () => Promise<unknown>, opts: { fromPull?: boolean } = {}): Promise<ApplyStats> {
  return db.transaction('rw', [...db.dataTables, db.meta], async () => {
    const stats = await applyPrepared(db, p, opts);
    if (extra) await extra();
    return stats;
  });
}
