import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '../../server/db/database';
import type { InteractionsTable, MessagesTable, RecordingPausesTable, TimelineTable } from '../../server/db/schema';

/** One closed (or abandoned) chat or call to write, times relative to its creation. */
export interface ReportSeedInteraction {
  queueId: string;
  createdAt: Date;
  kind?: 'chat' | 'call';
  /** Who handled it last (and answered it); none for an abandoned one. */
  agent?: { id: string; username: string };
  /** Agents offered it (timeline `offered`), in order; default: the handling agent. */
  offeredTo?: { id: string; username: string }[];
  waitMs?: number;
  talkMs?: number;
  wrapupMs?: number;
  /** Left before an answer, after this long. */
  abandonedAfterMs?: number;
  disposition?: string;
  transfers?: number;
  securePauses?: number;
  sensitive?: boolean;
  childProtected?: boolean;
  customerName?: string;
  customerEmail?: string;
  /** A customer message and a wrap-up note, so tests can check no text leaks into reports. */
  text?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes closed interactions with their timeline (offered, answered, transferred, ended), secure
 * pauses, one customer message and a wrap-up note straight into the database, as the running server
 * would have stored them; for the reports tests and bench/reports. Batched: 100,000 in seconds.
 */
export async function seedReportInteractions(db: Db, items: readonly ReportSeedInteraction[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < items.length; start += 500) {
    const batch = items.slice(start, start + 500);
    await db.kysely.transaction().execute(async (trx) => {
      // Ids after the highest so far, as the server's portable auto-increment hands them out.
      const interactions: Insertable<InteractionsTable>[] = [];
      const timeline: Insertable<TimelineTable>[] = [];
      const pauses: Insertable<RecordingPausesTable>[] = [];
      const messages: MessagesTable[] = [];
      for (const item of batch) {
        const id = randomUUID();
        ids.push(id);
        const created = item.createdAt.getTime();
        const event = (type: string, at: number, actor: { id: string; username: string } | null, details: object = {}) =>
          timeline.push({ interaction_id: id, type, at: iso(at), actor: actor?.username ?? null, actor_id: actor?.id ?? null, details: JSON.stringify(details) });
        event('queued', created, null);
        for (const agent of item.offeredTo ?? (item.agent ? [item.agent] : [])) event('offered', created + 1, agent);
        let status: InteractionsTable['status'];
        let answered: number | null = null;
        let ended: number;
        let wrapup: number | null = null;
        if (item.abandonedAfterMs !== undefined || !item.agent) {
          status = 'abandoned';
          ended = created + (item.abandonedAfterMs ?? 30_000);
          event('abandoned', ended, null);
        } else {
          status = 'closed';
          answered = created + (item.waitMs ?? 20_000);
          ended = answered + (item.talkMs ?? 120_000);
          wrapup = ended + (item.wrapupMs ?? 10_000);
          event('answered', answered, item.agent);
          for (let t = 0; t < (item.transfers ?? 0); t += 1) event('transferred', answered + 1 + t, item.agent, { from: item.agent.username, to: 'someone' });
          for (let p = 0; p < (item.securePauses ?? 0); p += 1) {
            pauses.push({ interaction_id: id, started_at: iso(answered + 10 + p * 2), ended_at: iso(answered + 11 + p * 2), actor_id: item.agent.id, actor_name: item.agent.username, ended_by: item.agent.username });
          }
          event('ended', ended, item.agent);
        }
        const text = item.text ?? 'hello';
        messages.push({ id: randomUUID(), interaction_id: id, seq: 1, author: 'customer', author_name: item.customerName ?? 'Customer', text, client_msg_id: null, at: iso(created + 1) });
        interactions.push({
          id,
          kind: item.kind ?? 'chat',
          status,
          queue_id: item.queueId,
          customer_name: item.customerName ?? 'Customer',
          customer_email: item.customerEmail ?? null,
          agent_id: item.agent?.id ?? null,
          created_at: iso(created),
          answered_at: answered === null ? null : iso(answered),
          ended_at: iso(ended),
          on_hold: 0,
          disposition: wrapup === null ? null : (item.disposition ?? 'Resolved'),
          notes: wrapup === null ? null : `note: ${text}`,
          wrapup_at: wrapup === null ? null : iso(wrapup),
          wrapup_by: wrapup === null ? null : item.agent!.username,
          wrapup_timed_out: 0,
          customer_token_hash: null,
          customer_token_expires_at: null,
          sensitive_category: item.sensitive ? 'health' : null,
          sensitive_marked_at: item.sensitive ? iso(created + 2) : null,
          sensitive_marked_by: item.sensitive ? (item.agent?.id ?? null) : null,
          child_protected: item.childProtected ? 1 : 0,
        });
      }
      await chunked(interactions, 50, (rows) => trx.insertInto('interactions').values(rows).execute());
      await chunked(timeline, 300, (rows) => trx.insertInto('timeline').values(rows).execute());
      await chunked(pauses, 300, (rows) => trx.insertInto('recording_pauses').values(rows).execute());
      await chunked(messages, 300, (rows) => trx.insertInto('messages').values(rows).execute());
    });
  }
  return ids;
}

async function chunked<T>(rows: T[], size: number, insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}
