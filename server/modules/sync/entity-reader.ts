import type { SyncChange, SyncContact, SyncInteraction, SyncNote, SyncUpsert, SyncWrapup } from '../../../shared/api/sync';
import type { ChatMessage, Queue } from '../../../shared/domain/interactions';
import type { SyncChangesTable, SyncNotesTable } from '../../db/schema';
import type { Executor } from './change-log';

export type LogRow = Pick<SyncChangesTable, 'seq' | 'kind' | 'entity_id' | 'interaction_id' | 'op' | 'version' | 'reason'>;

/** Ids per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

type InteractionData = { interaction: SyncInteraction; contact: SyncContact; wrapup: SyncWrapup | null };

async function loadInteractions(db: Executor, ids: string[]): Promise<Map<string, InteractionData>> {
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('interactions as i')
      .innerJoin('queues as q', 'q.id', 'i.queue_id')
      .leftJoin('users as u', 'u.id', 'i.agent_id')
      .leftJoin('sync_late_wrapups as l', 'l.interaction_id', 'i.id')
      .select([
        'i.id',
        'i.kind',
        'i.status',
        'i.queue_id',
        'i.customer_name',
        'i.customer_email',
        'i.agent_id',
        'i.created_at',
        'i.answered_at',
        'i.ended_at',
        'i.disposition',
        'i.notes',
        'i.wrapup_at',
        'i.wrapup_by',
        'i.wrapup_timed_out',
        'i.child_protected',
        'q.name as queue_name',
        'u.display_name as agent_name',
        'l.at as late_at',
      ])
      .where('i.id', 'in', chunk)
      .execute(),
  );
  const out = new Map<string, InteractionData>();
  for (const r of rows) {
    // A child's contact and the agent's words about them never reach a local cache, even in the
    // moment before the purge that follows the end clears them on the server (principle 7).
    const child = Number(r.child_protected) === 1;
    out.set(r.id, {
      interaction: {
        id: r.id,
        kind: r.kind,
        status: r.status,
        queueId: r.queue_id,
        queueName: r.queue_name,
        contactId: r.id,
        agentId: r.agent_id,
        agentName: r.agent_name,
        createdAt: r.created_at,
        answeredAt: r.answered_at,
        endedAt: r.ended_at,
        disposition: r.disposition,
      },
      contact: { id: r.id, name: child ? null : r.customer_name, email: child ? null : r.customer_email },
      wrapup: r.wrapup_at
        ? {
            interactionId: r.id,
            disposition: r.disposition,
            notes: child ? '' : (r.notes ?? ''),
            submittedAt: r.wrapup_at,
            by: r.wrapup_by ?? 'system',
            timedOut: Number(r.wrapup_timed_out) === 1,
            late: r.late_at !== null,
          }
        : null,
    });
  }
  return out;
}

export function toNote(r: SyncNotesTable): SyncNote {
  return {
    id: r.id,
    interactionId: r.interaction_id,
    authorId: r.author_id,
    authorName: r.author_name,
    text: r.text,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    conflict: r.conflict_reason && r.conflict_of ? { reason: r.conflict_reason as NonNullable<SyncNote['conflict']>['reason'], of: r.conflict_of } : null,
  };
}

/**
 * Turns change-log rows into change records with the entities' current data, in the rows' order.
 * An upsert whose entity vanished since (deleted in between) is left out: its tombstone follows
 * at a later position. So is a message of a child-protected interaction.
 */
export async function toChanges(db: Executor, rows: readonly LogRow[]): Promise<SyncChange[]> {
  const ids = (kinds: LogRow['kind'][]) => [...new Set(rows.filter((r) => r.op === 'upsert' && kinds.includes(r.kind)).map((r) => r.entity_id))];
  const interactionIds = ids(['interaction', 'contact', 'wrapup']);
  const messageIds = ids(['message']);
  const noteIds = ids(['note']);
  const orgIds = ids(['queue', 'setting']);

  const interactions = interactionIds.length > 0 ? await loadInteractions(db, interactionIds) : new Map<string, InteractionData>();
  const messages = new Map<string, ChatMessage>();
  // A child-protected interaction's messages are never handed out, also while it is in progress
  // (those logged before a child flag are tombstoned by it): their upserts are left out here.
  const loadMessages = (chunk: string[]) =>
    db.selectFrom('messages as m').innerJoin('interactions as i', 'i.id', 'm.interaction_id').selectAll('m').where('m.id', 'in', chunk).where('i.child_protected', '=', 0).execute();
  for (const m of await inChunks(messageIds, loadMessages)) {
    messages.set(m.id, { id: m.id, interactionId: m.interaction_id, seq: Number(m.seq), from: m.author, authorName: m.author_name, text: m.text, at: m.at });
  }
  const notes = new Map<string, SyncNote>();
  for (const n of await inChunks(noteIds, (chunk) => db.selectFrom('sync_notes').selectAll().where('id', 'in', chunk).execute())) notes.set(n.id, toNote(n));
  const org = new Map<string, unknown>();
  for (const o of await inChunks(orgIds, (chunk) => db.selectFrom('sync_org_entities').selectAll().where('id', 'in', chunk).execute())) {
    org.set(`${o.kind}:${o.id}`, JSON.parse(o.data));
  }

  const out: SyncChange[] = [];
  for (const row of rows) {
    const base = { id: row.entity_id, version: Number(row.version), interactionId: row.interaction_id };
    if (row.op === 'tombstone') {
      out.push({ ...base, kind: row.kind, op: 'tombstone', reason: row.reason ?? 'deleted' });
      continue;
    }
    const upsert = upsertOf(row, base, { interactions, messages, notes, org });
    if (upsert) out.push(upsert);
  }
  return out;
}

function upsertOf(
  row: LogRow,
  base: { id: string; version: number; interactionId: string | null },
  data: { interactions: Map<string, InteractionData>; messages: Map<string, ChatMessage>; notes: Map<string, SyncNote>; org: Map<string, unknown> },
): SyncUpsert | null {
  const op = 'upsert' as const;
  switch (row.kind) {
    case 'interaction': {
      const d = data.interactions.get(row.entity_id);
      return d ? { ...base, kind: 'interaction', op, data: d.interaction } : null;
    }
    case 'contact': {
      const d = data.interactions.get(row.entity_id);
      return d ? { ...base, kind: 'contact', op, data: d.contact } : null;
    }
    case 'wrapup': {
      const d = data.interactions.get(row.entity_id)?.wrapup;
      return d ? { ...base, kind: 'wrapup', op, data: d } : null;
    }
    case 'message': {
      const d = data.messages.get(row.entity_id);
      return d ? { ...base, kind: 'message', op, data: d } : null;
    }
    case 'note': {
      const d = data.notes.get(row.entity_id);
      return d ? { ...base, kind: 'note', op, data: d } : null;
    }
    case 'queue': {
      const d = data.org.get(`queue:${row.entity_id}`) as Queue | undefined;
      return d ? { ...base, kind: 'queue', op, data: d } : null;
    }
    case 'setting': {
      const d = data.org.get(`setting:${row.entity_id}`) as { key: 'retentionDays'; value: number } | undefined;
      return d ? { ...base, kind: 'setting', op, data: d } : null;
    }
  }
}
