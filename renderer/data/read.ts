import { type InteractionKind, type InteractionStatus, type NoteConflictReason } from '../../shared';
import { sealContext } from './apply-changes';
import { type FieldCipher } from './crypto/field-cipher';
import { type LocalDb } from './db';
import { type ContactFields, type ContactRow, type InteractionRow, type MessageFields, type NoteFields, type WrapupFields } from './records';

/** Reads for the UI, decrypted. Meant to run inside liveQuery, so they re-run when the tables change. */

export interface LocalHistoryItem {
  id: string;
  kind: InteractionKind;
  status: InteractionStatus;
  queueName: string;
  customer: { name?: string; email?: string };
  agentName: string | null;
  createdAt: string;
  disposition: string | null;
  /** A wrap-up or note of ours is waiting in the outbox. */
  pending: boolean;
}

export interface LocalNote {
  id: string;
  authorName: string;
  text: string;
  updatedAt: string;
  pending: boolean;
  conflict: { reason: NoteConflictReason; of: string } | null;
}

export interface LocalInteraction extends LocalHistoryItem {
  answeredAt: string | null;
  endedAt: string | null;
  agentId: string | null;
  messages: { id: string; seq: number; from: 'customer' | 'agent' | 'system'; authorName: string; text: string; at: string }[];
  notes: LocalNote[];
  wrapup: { disposition: string | null; notes: string; submittedAt: string; by: string; timedOut: boolean; late: boolean; pending: boolean } | null;
}

async function customerOf(cipher: FieldCipher, contact: ContactRow | undefined): Promise<{ name?: string; email?: string }> {
  if (!contact) return {};
  const c = await cipher.open<ContactFields>(contact.sealed, sealContext.contact(contact.id));
  return { ...(c.name ? { name: c.name } : {}), ...(c.email ? { email: c.email } : {}) };
}

function baseItem(row: InteractionRow, customer: { name?: string; email?: string }, pending: boolean): LocalHistoryItem {
  return {
    id: row.id, kind: row.kind, status: row.status, queueName: row.queueName, customer, agentName: row.agentName, createdAt: row.createdAt,
    disposition: row.disposition, pending,
  };
}

/** The newest `limit` interactions, newest first. */
export async function readHistory(db: LocalDb, cipher: FieldCipher, limit: number): Promise<LocalHistoryItem[]> {
  const rows = await db.interactions.orderBy('createdAt').reverse().limit(limit).toArray();
  const [contacts, waiting] = await Promise.all([db.contacts.bulkGet(rows.map((r) => r.contactId)), db.outbox.toArray()]);
  const pendingIds = new Set(waiting.map((o) => o.interactionId));
  return Promise.all(rows.map(async (row, i) => baseItem(row, await customerOf(cipher, contacts[i]), pendingIds.has(row.id))));
}

export async function readInteraction(db: LocalDb, cipher: FieldCipher, id: string): Promise<LocalInteraction | null> {
  const row = await db.interactions.get(id);
  if (!row) return null;
  const [contact, messageRows, noteRows, wrapupRow, waiting] = await Promise.all([
    db.contacts.get(row.contactId),
    db.messages.where('[interactionId+seq]').between([id, -Infinity], [id, Infinity]).toArray(),
    db.notes.where('interactionId').equals(id).toArray(),
    db.wrapups.get(id),
    db.outbox.where('interactionId').equals(id).count(),
  ]);
  const messages = await Promise.all(
    messageRows.map(async (m) => {
      const f = await cipher.open<MessageFields>(m.sealed, sealContext.message(m.id));
      return { id: m.id, seq: m.seq, from: m.from, authorName: f.authorName, text: f.text, at: m.at };
    }),
  );
  const notes = await Promise.all(
    noteRows
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(async (n) => ({
        id: n.id, authorName: n.authorName, updatedAt: n.updatedAt, pending: n.pending === 1, conflict: n.conflict,
        text: (await cipher.open<NoteFields>(n.sealed, sealContext.note(n.id))).text,
      })),
  );
  const wrapup = wrapupRow
    ? {
        disposition: wrapupRow.disposition, submittedAt: wrapupRow.submittedAt, by: wrapupRow.by, timedOut: wrapupRow.timedOut, late: wrapupRow.late,
        pending: wrapupRow.pending === 1, notes: (await cipher.open<WrapupFields>(wrapupRow.sealed, sealContext.wrapup(id))).notes,
      }
    : null;
  return { ...baseItem(row, await customerOf(cipher, contact), waiting > 0), answeredAt: row.answeredAt, endedAt: row.endedAt, agentId: row.agentId, messages, notes, wrapup };
}
