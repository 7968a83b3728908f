import type { Kysely, Selectable } from 'kysely';
import type { Database, MessagesTable, SyncNotesTable, TimelineTable } from '../../../db/schema';

/** Rows read per query: a page of a long transcript, never all of it. */
export const PAGE = 500;

type Executor = Kysely<Database>;
export type MessageRow = Pick<MessagesTable, 'id' | 'seq' | 'author' | 'author_name' | 'text' | 'at'>;
export type NoteRow = Pick<SyncNotesTable, 'id' | 'author_name' | 'text' | 'created_at' | 'updated_at' | 'conflict_reason' | 'conflict_of'>;
export type EventRow = Pick<Selectable<TimelineTable>, 'id' | 'type' | 'at' | 'actor' | 'details'>;

/** The interaction's messages in seq order, a page at a time (keyset on seq). */
export async function* messagePages(db: Executor, interactionId: string): AsyncGenerator<MessageRow[]> {
  let after = -1;
  for (;;) {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'seq', 'author', 'author_name', 'text', 'at'])
      .where('interaction_id', '=', interactionId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    after = Number(rows.at(-1)!.seq);
  }
}

/** Agents' notes on the interaction (conflict copies included), oldest first, a page at a time. */
export async function* notePages(db: Executor, interactionId: string): AsyncGenerator<NoteRow[]> {
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    let query = db
      .selectFrom('sync_notes')
      .select(['id', 'author_name', 'text', 'created_at', 'updated_at', 'conflict_reason', 'conflict_of'])
      .where('interaction_id', '=', interactionId);
    if (after) {
      const { createdAt, id } = after;
      query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
    }
    const rows = await query.orderBy('created_at').orderBy('id').limit(PAGE).execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    const last = rows.at(-1)!;
    after = { createdAt: last.created_at, id: last.id };
  }
}

/** The interaction's timeline events in order, a page at a time. */
export async function* eventPages(db: Executor, interactionId: string): AsyncGenerator<EventRow[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('timeline')
      .select(['id', 'type', 'at', 'actor', 'details'])
      .where('interaction_id', '=', interactionId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < PAGE) return;
    after = Number(rows.at(-1)!.id);
  }
}

/** What one pass over a paged store saw: how many rows, and the first and last time among them. */
export interface PassStats {
  count: number;
  first: string | null;
  last: string | null;
}

/**
 * A JSON document `{ ...head, [key]: [ item, item, … ] }` written item by item from pages; `stats`
 * is filled in as the pages are read (final once the stream ended).
 */
export async function* jsonDocument<Row>(
  head: Record<string, unknown>,
  key: string,
  pages: AsyncIterable<Row[]>,
  toItem: (row: Row) => unknown,
  stats: PassStats,
  timeOf: (row: Row) => string,
): AsyncGenerator<Buffer> {
  const opening = JSON.stringify({ ...head, [key]: [] }, null, 2);
  // Everything up to the empty array's "[", then the items, then "]" and the rest.
  const at = opening.lastIndexOf('[]');
  yield Buffer.from(`${opening.slice(0, at)}[`);
  for await (const rows of pages) {
    const parts: string[] = [];
    for (const row of rows) {
      parts.push(`${stats.count === 0 ? '' : ','}\n    ${JSON.stringify(toItem(row))}`);
      stats.count += 1;
      const time = timeOf(row);
      stats.first ??= time;
      stats.last = time;
    }
    yield Buffer.from(parts.join(''));
  }
  yield Buffer.from(`${stats.count === 0 ? '' : '\n  '}]${opening.slice(at + 2)}\n`);
}

/** The transcript as a person reads it: a header, then one line per message (time, who, text). */
export async function* transcriptText(header: readonly string[], pages: AsyncIterable<MessageRow[]>): AsyncGenerator<Buffer> {
  yield Buffer.from(`${header.join('\n')}\n\n`);
  let any = false;
  for await (const rows of pages) {
    any = any || rows.length > 0;
    yield Buffer.from(rows.map((m) => `[${readableTime(m.at)}] ${who(m)}: ${indentContinuation(m.text)}\n`).join(''));
  }
  if (!any) yield Buffer.from('(no messages)\n');
}

export function readableTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

function who(m: MessageRow): string {
  if (m.author === 'system') return 'System';
  return m.author === 'customer' ? `${m.author_name} (you)` : `${m.author_name} (agent)`;
}

/** A multi-line message keeps its lines under it, so each line of the file still starts with a time or an indent. */
function indentContinuation(text: string): string {
  return text.replace(/\r?\n/g, '\n    ');
}
