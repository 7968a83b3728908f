import { type SyncChange, SyncMutation, type SyncMutationResult } from '../../shared';
import { type ApplyStats, applyPrepared, prepareChanges, sealContext } from './apply-changes';
import { type FieldCipher } from './crypto/field-cipher';
import { type LocalDb } from './db';
import { type NoteFields, type NoteRow, type OutboxRow, type WrapupFields } from './records';

/**
 * Local writes: each lands in its table (marked pending, so the UI shows it at once) and in the
 * outbox, in one transaction. The mutation id is made here, once; every retry sends the same id and
 * the server applies it once.
 */

export interface Author {
  id: string;
  username: string;
  displayName: string;
}

export interface OutboxDeps {
  db: LocalDb;
  cipher: FieldCipher;
  newId?: () => string;
  now?: () => number;
}

const RESOLUTION_WORDS: Record<string, string> = {
  concurrent_edit: 'another edit of this note was saved first; your text is kept as a copy',
  edited_after_delete: 'the note was deleted before your edit arrived; your text is kept as a copy',
  deleted_while_edited: 'your delete lost to a newer edit; that text is kept as a copy',
  wrapup_already_submitted: 'a wrap-up was already submitted; yours is kept as a note',
};

async function enqueue(deps: OutboxDeps, mutation: SyncMutation, interactionId: string, noteId: string | null): Promise<OutboxRow> {
  const parsed = SyncMutation.parse(mutation);
  return {
    mutationId: parsed.mutationId,
    type: parsed.type,
    interactionId,
    noteId,
    queuedAt: (deps.now ?? Date.now)(),
    attempts: 0,
    lastError: null,
    sealed: await deps.cipher.seal(parsed, sealContext.outbox(parsed.mutationId)),
  };
}

const uuid = () => globalThis.crypto.randomUUID();

export async function writeNote(deps: OutboxDeps, author: Author, interactionId: string, text: string): Promise<string> {
  const id = deps.newId ?? uuid;
  const noteId = id();
  const at = new Date((deps.now ?? Date.now)()).toISOString();
  const row = await enqueue(deps, { type: 'note.create', mutationId: id(), noteId, interactionId, text }, interactionId, noteId);
  const fields: NoteFields = { text };
  const note: NoteRow = {
    id: noteId, version: 0, interactionId, authorId: author.id, authorName: author.displayName, createdAt: at, updatedAt: at,
    conflict: null, pending: 1, sealed: await deps.cipher.seal(fields, sealContext.note(noteId)),
  };
  await deps.db.transaction('rw', deps.db.notes, deps.db.outbox, async () => {
    await deps.db.notes.put(note);
    await deps.db.outbox.add(row);
  });
  return noteId;
}

export async function editNote(deps: OutboxDeps, noteId: string, text: string): Promise<void> {
  const note = await deps.db.notes.get(noteId);
  if (!note) throw new Error('This note is no longer on this computer.');
  const id = deps.newId ?? uuid;
  const row = await enqueue(deps, { type: 'note.edit', mutationId: id(), noteId, baseVersion: note.version, text }, note.interactionId, noteId);
  const sealed = await deps.cipher.seal({ text } satisfies NoteFields, sealContext.note(noteId));
  const updatedAt = new Date((deps.now ?? Date.now)()).toISOString();
  await deps.db.transaction('rw', deps.db.notes, deps.db.outbox, async () => {
    await deps.db.notes.update(noteId, { sealed, pending: 1, updatedAt });
    await deps.db.outbox.add(row);
  });
}

export async function deleteNote(deps: OutboxDeps, noteId: string): Promise<void> {
  const note = await deps.db.notes.get(noteId);
  if (!note) return;
  const id = deps.newId ?? uuid;
  const row = await enqueue(deps, { type: 'note.delete', mutationId: id(), noteId, baseVersion: note.version }, note.interactionId, noteId);
  await deps.db.transaction('rw', deps.db.notes, deps.db.outbox, async () => {
    await deps.db.notes.delete(noteId);
    await deps.db.outbox.add(row);
  });
}

export async function writeWrapup(deps: OutboxDeps, author: Author, interactionId: string, disposition: string, notes: string): Promise<void> {
  const id = deps.newId ?? uuid;
  const row = await enqueue(deps, { type: 'wrapup.submit', mutationId: id(), interactionId, disposition, notes }, interactionId, null);
  const sealed = await deps.cipher.seal({ notes } satisfies WrapupFields, sealContext.wrapup(interactionId));
  const submittedAt = new Date((deps.now ?? Date.now)()).toISOString();
  await deps.db.transaction('rw', deps.db.wrapups, deps.db.interactions, deps.db.outbox, async () => {
    await deps.db.wrapups.put({ interactionId, version: 0, disposition, submittedAt, by: author.username, timedOut: false, late: false, pending: 1, sealed });
    await deps.db.interactions.update(interactionId, { disposition });
    await deps.db.outbox.add(row);
  });
}

/** The oldest waiting mutations, unsealed, in the order they were made. */
export async function nextBatch(deps: OutboxDeps, max: number): Promise<{ rows: OutboxRow[]; mutations: SyncMutation[] }> {
  const rows = await deps.db.outbox.orderBy('seq').limit(max).toArray();
  const mutations = await Promise.all(rows.map((r) => deps.cipher.open<SyncMutation>(r.sealed, sealContext.outbox(r.mutationId))));
  return { rows, mutations };
}

export interface PushOutcome {
  applied: number;
  conflicts: number;
  rejected: number;
  stats: ApplyStats[];
}

/** The text the user typed in a mutation, to keep when the server refuses it. */
function typedText(m: SyncMutation): string {
  if (m.type === 'note.create' || m.type === 'note.edit') return m.text;
  if (m.type === 'wrapup.submit') return `${m.disposition}${m.notes ? `: ${m.notes}` : ''}`;
  return '';
}

/**
 * Settles the outbox with the server's answers, in one transaction: each answered mutation leaves
 * the outbox, the resulting versions replace our pending copies, a conflict's losing side is kept
 * as a conflict-copy note and announced, a refusal is kept with what the user typed.
 */
export async function settlePush(deps: OutboxDeps, sent: readonly SyncMutation[], results: readonly SyncMutationResult[]): Promise<PushOutcome> {
  const { db, cipher } = deps;
  const now = (deps.now ?? Date.now)();
  const byId = new Map(sent.map((m) => [m.mutationId, m]));
  const changes: SyncChange[] = [];
  for (const r of results) {
    changes.push(...r.changes);
    if (r.kept) changes.push(r.kept);
  }
  const prepared = await prepareChanges(changes, cipher);
  const problems = await Promise.all(
    results.flatMap((r) => {
      const m = byId.get(r.mutationId);
      const status = r.status === 'duplicate' ? r.original : r.status;
      if (!m || (status !== 'rejected' && status !== 'conflict')) return [];
      const interactionId = m.type === 'wrapup.submit' || m.type === 'note.create' ? m.interactionId : (r.kept?.interactionId ?? r.changes[0]?.interactionId ?? '');
      const ref = (deps.newId ?? uuid)();
      const message =
        status === 'rejected'
          ? `The server did not accept a change: ${r.error?.message ?? 'no reason given'}. What you typed is kept here.`
          : `Sync conflict: ${RESOLUTION_WORDS[r.resolution ?? ''] ?? 'another edit won; yours is kept as a copy'}.`;
      return [cipher.seal({ text: status === 'rejected' ? typedText(m) : '' }, sealContext.problem(ref)).then((sealed) => ({ kind: status, ref, at: now, interactionId, message, sealed }) as const)];
    }),
  );

  return db.transaction('rw', [...db.dataTables, db.meta], async () => {
    const outcome: PushOutcome = { applied: 0, conflicts: 0, rejected: 0, stats: [] };
    for (const r of results) {
      const m = byId.get(r.mutationId);
      if (!m) continue;
      await db.outbox.where('mutationId').equals(r.mutationId).delete();
      const status = r.status === 'duplicate' ? r.original : r.status;
      if (status === 'conflict') outcome.conflicts += 1;
      else if (status === 'rejected') outcome.rejected += 1;
      else outcome.applied += 1;
      // Our pending copy gives way to the server's once nothing else of ours waits for it.
      if (m.type === 'wrapup.submit') {
        const more = await db.outbox.where('interactionId').equals(m.interactionId).filter((o) => o.type === 'wrapup.submit').count();
        if (!more) {
          if (status === 'rejected') await db.wrapups.delete(m.interactionId);
          else await db.wrapups.update(m.interactionId, { pending: 0 });
        }
      } else {
        const more = await db.outbox.filter((o) => o.noteId === m.noteId).count();
        if (!more) {
          if (status === 'rejected' && m.type === 'note.create') await db.notes.delete(m.noteId);
          // A refused edit: our copy is not the server's; version 0 lets the next copy from the server replace it.
          else if (status === 'rejected') await db.notes.update(m.noteId, { pending: 0, version: 0 });
          else await db.notes.update(m.noteId, { pending: 0 });
        }
      }
    }
    for (const p of problems) await db.problems.add(p);
    outcome.stats.push(await applyPrepared(db, prepared));
    return outcome;
  });
}
