import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import type { InteractionsTable, MessagesTable, SyncChangesTable } from '../../db/schema';

export interface HistorySeedOptions {
  /** The agent who handled every seeded interaction (a user id). */
  agentId: string;
  queueId: string;
  interactions: number;
  /** Spread evenly (the remainder goes to the newest interactions). */
  messages: number;
  /** The newest interaction starts this long ago; each older one `spacingMs` earlier. */
  newestAgoMs?: number;
  spacingMs?: number;
  /** Disposition written on every seeded wrap-up. */
  disposition?: string;
  /** Progress after each batch (interactions written so far). */
  onProgress?: (done: number, total: number) => void;
}

/** Rows per INSERT: well under SQLite's 32,766 bound parameters for the widest table. */
const BATCH_INTERACTIONS = 200;
const WORDS = 'thanks order invoice refund delivery account password address card payment late broken replace upgrade plan hello sure please check moment'.split(' ');

/**
 * Writes a closed history for one agent straight into the database, as the running server would
 * have stored it (interactions, contacts, messages, wrap-ups, the agent's sync access and the
 * change log in creation order). For bench/sync and the sync tests: 10,000 interactions and
 * 100,000 messages take a few seconds instead of hours of simulated chats. Run it against a
 * server's data dir while that server is stopped (it assumes it is the only writer).
 */
export async function seedHistory(db: Db, opts: HistorySeedOptions): Promise<{ interactionIds: string[] }> {
  const spacing = opts.spacingMs ?? 120_000;
  const newest = Date.now() - (opts.newestAgoMs ?? 60_000);
  const perInteraction = Math.floor(opts.messages / opts.interactions);
  const extra = opts.messages - perInteraction * opts.interactions;
  const ids: string[] = [];
  let text = 0;

  for (let start = 0; start < opts.interactions; start += BATCH_INTERACTIONS) {
    const count = Math.min(BATCH_INTERACTIONS, opts.interactions - start);
    await db.kysely.transaction().execute(async (trx) => {
      const interactions: Insertable<InteractionsTable>[] = [];
      const messages: MessagesTable[] = [];
      const entities: Pick<SyncChangesTable, 'kind' | 'entity_id' | 'interaction_id' | 'at'>[] = [];
      for (let n = start; n < start + count; n += 1) {
        // Oldest first, so the change log runs in creation order like a live server's.
        const created = newest - (opts.interactions - 1 - n) * spacing;
        const id = randomUUID();
        ids.push(id);
        const messageCount = perInteraction + (n >= opts.interactions - extra ? 1 : 0);
        const ended = created + 30_000 + messageCount * 5_000;
        interactions.push({
          id,
          kind: 'chat',
          status: 'closed',
          queue_id: opts.queueId,
          customer_name: `Customer ${n + 1}`,
          customer_email: `customer${n + 1}@example.test`,
          agent_id: opts.agentId,
          created_at: iso(created),
          answered_at: iso(created + 20_000),
          ended_at: iso(ended),
          on_hold: 0,
          disposition: opts.disposition ?? 'Resolved',
          notes: `Seeded wrap-up ${n + 1}`,
          wrapup_at: iso(ended + 10_000),
          wrapup_by: 'seed',
          wrapup_timed_out: 0,
          customer_token_hash: null,
          customer_token_expires_at: null,
        });
        entities.push({ kind: 'interaction', entity_id: id, interaction_id: id, at: iso(created) }, { kind: 'contact', entity_id: id, interaction_id: id, at: iso(created) });
        for (let m = 0; m < messageCount; m += 1) {
          const at = iso(created + 25_000 + m * 5_000);
          const messageId = randomUUID();
          const fromCustomer = m % 2 === 0;
          messages.push({
            id: messageId,
            interaction_id: id,
            seq: m + 1,
            author: fromCustomer ? 'customer' : 'agent',
            author_name: fromCustomer ? `Customer ${n + 1}` : 'Agent',
            text: sentence((text += 1)),
            client_msg_id: null,
            at,
          });
          entities.push({ kind: 'message', entity_id: messageId, interaction_id: id, at });
        }
        entities.push({ kind: 'wrapup', entity_id: id, interaction_id: id, at: iso(ended + 10_000) });
      }
      await insertChunked(interactions, 50, (rows) => trx.insertInto('interactions').values(rows).execute());
      await insertChunked(messages, 500, (rows) => trx.insertInto('messages').values(rows).execute());
      const access = interactions.map((i) => ({ user_id: opts.agentId, interaction_id: i.id, granted_at: i.created_at, created_at: i.created_at }));
      await insertChunked(access, 500, (rows) => trx.insertInto('sync_access').values(rows).execute());

      await trx.updateTable('sync_counter').set((eb) => ({ last_seq: eb('last_seq', '+', entities.length) })).where('singleton', '=', 1).execute();
      const head = Number((await trx.selectFrom('sync_counter').select('last_seq').executeTakeFirstOrThrow()).last_seq);
      let seq = head - entities.length;
      const changes: SyncChangesTable[] = entities.map((e) => {
        seq += 1;
        return { ...e, seq, version: seq, op: 'upsert', reason: null };
      });
      await insertChunked(changes, 500, (rows) => trx.insertInto('sync_changes').values(rows).execute());
    });
    opts.onProgress?.(start + count, opts.interactions);
  }
  return { interactionIds: ids };
}

async function insertChunked<T>(rows: T[], size: number, insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** 8–16 words, varied so messages are not all alike (compression, encryption sizes). */
function sentence(n: number): string {
  const length = 8 + (n % 9);
  const words: string[] = [];
  for (let i = 0; i < length; i += 1) words.push(WORDS[(n * 7 + i * 13) % WORDS.length]!);
  return `${words.join(' ')} #${n}`;
}
