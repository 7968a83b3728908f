import { randomUUID } from 'node:crypto';
import type { NoteConflictReason, SyncChange, SyncMutation } from '../../../shared/api/sync';
import type { SyncNotesTable } from '../../db/schema';
import type { ChangeLog, Executor } from './change-log';
import { toNote } from './entity-reader';
import { rejected, type MutationOutcome } from './mutation-store';
import { isTombstone, recordOf } from './records';
import { interactionAccess, type SyncScope } from './scope';

type NoteMutation = Extract<SyncMutation, { type: 'note.create' | 'note.edit' | 'note.delete' }>;
export interface NoteAuthor {
  id: string;
  displayName: string;
}

/**
 * Agents' notes on interactions, written through push only. Rules (docs/sync.md, "Conflicts"):
 * the last write in server order wins; the text it overwrote or deleted without having seen it is
 * kept as a conflict-copy note, never dropped. Only the author edits or deletes a note.
 */
export class Notes {
  constructor(private readonly log: ChangeLog) {}

  apply(trx: Executor, scope: SyncScope, author: NoteAuthor, m: NoteMutation, now: Date): Promise<MutationOutcome> {
    switch (m.type) {
      case 'note.create':
        return this.create(trx, scope, author, m, now);
      case 'note.edit':
        return this.edit(trx, scope, author, m, now);
      case 'note.delete':
        return this.remove(trx, author, m, now);
    }
  }

  private async create(trx: Executor, scope: SyncScope, author: NoteAuthor, m: Extract<NoteMutation, { type: 'note.create' }>, now: Date): Promise<MutationOutcome> {
    const access = await interactionAccess(trx, scope, m.interactionId);
    if (access === 'not_found') return rejected('not_found', `No interaction ${m.interactionId}; the note was not saved.`);
    if (access === 'forbidden') return rejected('forbidden', `You may not add notes to interaction ${m.interactionId}: it is not one you handled.`);
    if (await recordOf(trx, 'note', m.noteId)) return rejected('conflict', `Note id ${m.noteId} is already used; create the note with a new id.`);
    const note = await this.insert(trx, { id: m.noteId, interactionId: m.interactionId, author, text: m.text, conflict: null }, now);
    return { status: 'applied', changes: [note] };
  }

  private async edit(trx: Executor, scope: SyncScope, author: NoteAuthor, m: Extract<NoteMutation, { type: 'note.edit' }>, now: Date): Promise<MutationOutcome> {
    const row = await this.get(trx, m.noteId);
    if (!row) {
      const last = await recordOf(trx, 'note', m.noteId);
      if (!isTombstone(last) || !last.interactionId) return rejected('not_found', `No note ${m.noteId}. Push its note.create first (send the outbox in order).`);
      // Deleted elsewhere before this edit arrived: the edit survives as a conflict copy.
      if ((await interactionAccess(trx, scope, last.interactionId)) !== 'ok') return rejected('forbidden', 'The note was deleted and you may no longer add notes to its interaction.');
      const copy = await this.insert(trx, { id: randomUUID(), interactionId: last.interactionId, author, text: m.text, conflict: { reason: 'edited_after_delete', of: m.noteId } }, now);
      return { status: 'conflict', resolution: 'edited_after_delete', changes: [last], kept: copy };
    }
    if (row.author_id !== author.id) return rejected('forbidden', 'You may edit only your own notes.');
    if (sawLatest(row, m.baseVersion) || row.text === m.text) {
      return { status: 'applied', changes: [await this.update(trx, row, m.text, now)] };
    }
    const copy = await this.keepCopy(trx, row, 'concurrent_edit', now);
    const note = await this.update(trx, row, m.text, now);
    return { status: 'conflict', resolution: 'concurrent_edit', changes: [note], kept: copy };
  }

  private async remove(trx: Executor, author: NoteAuthor, m: Extract<NoteMutation, { type: 'note.delete' }>, now: Date): Promise<MutationOutcome> {
    const row = await this.get(trx, m.noteId);
    if (!row) {
      const last = await recordOf(trx, 'note', m.noteId);
      if (isTombstone(last)) return { status: 'applied', changes: [last] };
      return rejected('not_found', `No note ${m.noteId}. Push its note.create first (send the outbox in order).`);
    }
    if (row.author_id !== author.id) return rejected('forbidden', 'You may delete only your own notes.');
    const copy = sawLatest(row, m.baseVersion) ? undefined : await this.keepCopy(trx, row, 'deleted_while_edited', now);
    await trx.deleteFrom('sync_notes').where('id', '=', row.id).execute();
    const [version] = await this.log.record(trx, [{ kind: 'note', entityId: row.id, interactionId: row.interaction_id, op: 'tombstone', reason: 'deleted' }], now);
    const tombstone: SyncChange = { kind: 'note', id: row.id, version: version!, interactionId: row.interaction_id, op: 'tombstone', reason: 'deleted' };
    return copy ? { status: 'conflict', resolution: 'deleted_while_edited', changes: [tombstone], kept: copy } : { status: 'applied', changes: [tombstone] };
  }

  /** A conflict copy holding text that lost (for a second wrap-up, too). */
  async insert(
    trx: Executor,
    input: { id: string; interactionId: string; author: NoteAuthor; text: string; conflict: { reason: NoteConflictReason; of: string } | null; createdAt?: string },
    now: Date,
  ): Promise<SyncChange> {
    const [version] = await this.log.record(trx, [{ kind: 'note', entityId: input.id, interactionId: input.interactionId, op: 'upsert' }], now);
    const row: SyncNotesTable = {
      id: input.id,
      interaction_id: input.interactionId,
      author_id: input.author.id,
      author_name: input.author.displayName,
      text: input.text,
      created_at: input.createdAt ?? now.toISOString(),
      updated_at: now.toISOString(),
      version: version!,
      created_version: version!,
      conflict_reason: input.conflict?.reason ?? null,
      conflict_of: input.conflict?.of ?? null,
    };
    await trx.insertInto('sync_notes').values(row).execute();
    return { kind: 'note', id: row.id, version: row.version, interactionId: row.interaction_id, op: 'upsert', data: toNote(row) };
  }

  private keepCopy(trx: Executor, row: SyncNotesTable, reason: NoteConflictReason, now: Date): Promise<SyncChange> {
    return this.insert(
      trx,
      { id: randomUUID(), interactionId: row.interaction_id, author: { id: row.author_id, displayName: row.author_name }, text: row.text, conflict: { reason, of: row.id }, createdAt: row.updated_at },
      now,
    );
  }

  private async update(trx: Executor, row: SyncNotesTable, text: string, now: Date): Promise<SyncChange> {
    const [version] = await this.log.record(trx, [{ kind: 'note', entityId: row.id, interactionId: row.interaction_id, op: 'upsert' }], now);
    const next: SyncNotesTable = { ...row, text, updated_at: now.toISOString(), version: version! };
    await trx.updateTable('sync_notes').set({ text, updated_at: next.updated_at, version: next.version }).where('id', '=', row.id).execute();
    return { kind: 'note', id: row.id, version: next.version, interactionId: row.interaction_id, op: 'upsert', data: toNote(next) };
  }

  private get(trx: Executor, id: string): Promise<SyncNotesTable | undefined> {
    return trx.selectFrom('sync_notes').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

/** The device edited the current text: its base is the current version, or 0 for an untouched note of its own. */
function sawLatest(row: SyncNotesTable, baseVersion: number): boolean {
  return baseVersion === Number(row.version) || (baseVersion === 0 && Number(row.version) === Number(row.created_version));
}
