import type { Kysely } from 'kysely';
import type { StoreResult } from '../../../../shared/api/privacy';
import type { Db } from '../../../db/database';
import type { Database } from '../../../db/schema';
import { DomainError } from '../../../kernel/errors';
import type { ChangeInput, ChangeLog } from '../../sync/change-log';
import type { ExecutorContext } from '../requests/executor';
import { Replacements } from './replacements';

export interface PrivacyRectifierDeps {
  db: Db;
  /** The server's one change log (its listeners nudge connected apps to pull). */
  changeLog: ChangeLog;
  /** Interactions in progress are refused: their state lives in memory too (the interactions core's `live`). */
  isLive?: (interactionId: string) => boolean;
  /**
   * Runs once every change is committed, to wipe the old values' bytes from disk as an erase does
   * (SQLite: secure_delete and a TRUNCATE checkpoint of the WAL). Without it they stay in free
   * pages and the WAL until SQLite reuses them.
   */
  scrubDisk?: () => Promise<void>;
}

/** Rows per page when walking an interaction's messages and notes. */
const PAGE = 500;

interface Tally {
  interactions: number;
  messages: number;
  sync_notes: number;
  sync_changes: number;
}

/**
 * A rectification: replaces the given values (the customer's name, e-mail, phone, a word or phrase)
 * in the given interactions wherever they are stored: the contact fields, chat messages (text, and
 * the customer's name as a message's author), agents' notes and wrap-up notes (rules:
 * replacements.ts). Each interaction changes in one transaction with its change-log rows: every
 * changed record goes out as an upsert, so agents' local caches take the new value at their next
 * pull. The old value is written nowhere: the change log holds ids, nothing is logged or audited
 * here, and the counts returned name no value.
 */
export class PrivacyRectifier {
  constructor(private readonly deps: PrivacyRectifierDeps) {}

  async run(ctx: ExecutorContext): Promise<StoreResult[]> {
    const replacements = ctx.replacements;
    if (replacements.length === 0) throw new DomainError('bad_request', 'A rectification needs replacements: [{ field, from, to }].');
    const ids = [...new Set(ctx.interactionIds)];
    const live = ids.find((id) => this.deps.isLive?.(id));
    if (live) throw new DomainError('conflict', `Interaction ${live} is still in progress; rectify once it has ended.`);
    const rules = new Replacements(replacements);
    const tally: Tally = { interactions: 0, messages: 0, sync_notes: 0, sync_changes: 0 };
    await ctx.progress(0, ids.length);
    for (const [index, id] of ids.entries()) {
      await this.deps.db.kysely.transaction().execute((trx) => this.rectifyInteraction(trx, id, rules, tally, ctx.now));
      await ctx.progress(index + 1, ids.length);
    }
    await this.deps.scrubDisk?.();
    // Every record found holding a value was changed in the same pass: found and done agree.
    return [
      { store: 'interactions', found: tally.interactions, done: tally.interactions, note: "the customer's name and e-mail, wrap-up notes" },
      { store: 'messages', found: tally.messages, done: tally.messages },
      { store: 'sync_notes', found: tally.sync_notes, done: tally.sync_notes },
      { store: 'sync_changes', found: tally.sync_changes, done: tally.sync_changes, note: "upserts that update agents' local caches" },
    ];
  }

  private async rectifyInteraction(trx: Kysely<Database>, id: string, rules: Replacements, tally: Tally, now: Date): Promise<void> {
    // PostgreSQL: lock what is read and written back, so a late wrap-up or a note edit pushed meanwhile
    // waits instead of being overwritten (SQLite runs one write transaction at a time anyway).
    const lock = this.deps.db.dialect === 'postgres';
    const row = await trx
      .selectFrom('interactions')
      .select(['customer_name', 'customer_email', 'notes', 'wrapup_at', 'child_protected'])
      .where('id', '=', id)
      .$if(lock, (q) => q.forUpdate())
      .executeTakeFirst();
    if (!row) return;
    const changes: ChangeInput[] = [];

    const name = rules.name(row.customer_name);
    const email = rules.email(row.customer_email);
    const notes = row.notes === null ? null : rules.text(row.notes);
    const contactChanged = name !== row.customer_name || email !== row.customer_email;
    if (contactChanged || notes !== row.notes) {
      await trx.updateTable('interactions').set({ customer_name: name, customer_email: email, notes }).where('id', '=', id).execute();
      tally.interactions += 1;
      if (contactChanged) changes.push({ kind: 'contact', entityId: id, interactionId: id, op: 'upsert' });
      if (notes !== row.notes && row.wrapup_at) changes.push({ kind: 'wrapup', entityId: id, interactionId: id, op: 'upsert' });
    }

    // A child's messages never enter the change log (privacy-model.md, principle 7): changed here, not published.
    const publishMessages = Number(row.child_protected) !== 1;
    for (let after = -1; ; ) {
      const page = await trx.selectFrom('messages').select(['id', 'seq', 'author', 'author_name', 'text']).where('interaction_id', '=', id).where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
      for (const m of page) {
        const text = rules.text(m.text);
        // The customer's name as typed is each of their messages' author name.
        const authorName = m.author === 'customer' ? (rules.name(m.author_name) ?? 'Customer') : m.author_name;
        if (text === m.text && authorName === m.author_name) continue;
        await trx.updateTable('messages').set({ text, author_name: authorName }).where('id', '=', m.id).execute();
        tally.messages += 1;
        if (publishMessages) changes.push({ kind: 'message', entityId: m.id, interactionId: id, op: 'upsert' });
      }
      if (page.length < PAGE) break;
      after = Number(page.at(-1)!.seq);
    }

    const changedNotes: { id: string; text: string }[] = [];
    for (let after = ''; ; ) {
      const page = await trx
        .selectFrom('sync_notes')
        .select(['id', 'text'])
        .where('interaction_id', '=', id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .$if(lock, (q) => q.forUpdate())
        .execute();
      for (const n of page) {
        const text = rules.text(n.text);
        if (text !== n.text) changedNotes.push({ id: n.id, text });
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    const noteChanges = changedNotes.map((n): ChangeInput => ({ kind: 'note', entityId: n.id, interactionId: id, op: 'upsert' }));

    const versions = await this.deps.changeLog.record(trx, [...changes, ...noteChanges], now);
    // A note's version is its change-log version: an agent's next edit bases on the version it received.
    const noteVersions = versions.slice(changes.length);
    for (const [i, note] of changedNotes.entries()) {
      await trx.updateTable('sync_notes').set({ text: note.text, version: noteVersions[i]! }).where('id', '=', note.id).execute();
    }
    tally.sync_notes += changedNotes.length;
    tally.sync_changes += versions.length;
  }
}
