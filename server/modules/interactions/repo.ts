import type { Kysely, Transaction } from 'kysely';
import type { ChatAuthor, ChatMessage, InteractionStatus, InteractionSummary, TimelineEvent, TimelineEventType } from '../../../shared/domain/interactions';
import { SensitiveCategory } from '../../../shared/domain/sensitive';
import type { Db } from '../../db/database';
import { ReusableInsert } from '../../db/reusable-insert';
import type { Database, InteractionsTable, MessagesTable } from '../../db/schema';

type SensitiveColumns = 'sensitive_category' | 'sensitive_marked_at' | 'sensitive_marked_by';
export type InteractionRow = Omit<InteractionsTable, 'on_hold' | 'wrapup_timed_out' | 'child_protected' | SensitiveColumns> & {
  on_hold: number;
  wrapup_timed_out: number;
  child_protected: number;
  sensitive_category: string | null;
  sensitive_marked_at: string | null;
  sensitive_marked_by: string | null;
};

/** Statuses of interactions still in progress (the service holds them in memory). */
export const OPEN_STATUSES: readonly InteractionStatus[] = ['queued', 'offered', 'active', 'wrapup'];

export interface TimelineActor {
  id: string;
  username: string;
}

export type InteractionPatch = Partial<Omit<InteractionRow, 'id' | 'kind' | 'created_at' | 'customer_token_hash'>>;

/**
 * Run inside the transaction of each write to interactions and messages, so what depends on a
 * write (the sync change log) commits with it or not at all.
 */
export interface InteractionWriteHooks {
  inserted(trx: Kysely<Database>, row: Pick<InteractionRow, 'id' | 'agent_id' | 'created_at'>): Promise<void>;
  updated(trx: Kysely<Database>, id: string, patch: InteractionPatch): Promise<void>;
  messagesAdded(trx: Kysely<Database>, rows: readonly MessagesTable[]): Promise<void>;
}

/** The chat's hot write: one statement per batch of the group commit, built once per batch size. */
const insertMessageRows = new ReusableInsert<'messages', MessagesTable>('messages', ['id', 'interaction_id', 'seq', 'author', 'author_name', 'text', 'client_msg_id', 'at'], 1000);

/** Rows of interactions, their transcripts and timelines. No rules here: the service decides. */
export class InteractionsRepo {
  constructor(
    private readonly db: Db,
    private readonly hooks: InteractionWriteHooks | null = null,
    /** Set on the repo `transaction` hands out: every statement joins that transaction. */
    private readonly trx: Transaction<Database> | null = null,
  ) {}

  private get k(): Kysely<Database> {
    return this.trx ?? this.db.kysely;
  }

  /** Several writes in one transaction, through a repo bound to it (the same repo if already bound). */
  transaction<T>(fn: (repo: InteractionsRepo, trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.trx) return fn(this, this.trx);
    return this.db.kysely.transaction().execute((trx) => fn(new InteractionsRepo(this.db, this.hooks, trx), trx));
  }

  async insert(row: Omit<InteractionRow, 'on_hold' | 'wrapup_timed_out' | 'child_protected' | SensitiveColumns> & { child_protected?: number }): Promise<void> {
    const hooks = this.hooks;
    if (!hooks) return void (await this.k.insertInto('interactions').values(row).execute());
    await this.transaction(async (_repo, trx) => {
      await trx.insertInto('interactions').values(row).execute();
      await hooks.inserted(trx, row);
    });
  }

  async update(id: string, patch: InteractionPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const hooks = this.hooks;
    if (!hooks) return void (await this.k.updateTable('interactions').set(patch).where('id', '=', id).execute());
    await this.transaction(async (_repo, trx) => {
      await trx.updateTable('interactions').set(patch).where('id', '=', id).execute();
      await hooks.updated(trx, id, patch);
    });
  }

  get(id: string): Promise<InteractionRow | undefined> {
    return this.k.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByTokenHash(hash: string): Promise<InteractionRow | undefined> {
    return this.k.selectFrom('interactions').selectAll().where('customer_token_hash', '=', hash).executeTakeFirst();
  }

  listOpen(): Promise<InteractionRow[]> {
    return this.k.selectFrom('interactions').selectAll().where('status', 'in', [...OPEN_STATUSES]).orderBy('created_at').execute();
  }

  // ---- messages ----

  async messages(interactionId: string): Promise<ChatMessage[]> {
    const rows = await this.k.selectFrom('messages').selectAll().where('interaction_id', '=', interactionId).orderBy('seq').execute();
    return rows.map(toMessage);
  }

  async findMessage(interactionId: string, clientMsgId: string): Promise<{ message: ChatMessage; author: ChatAuthor } | undefined> {
    const row = await this.k
      .selectFrom('messages')
      .selectAll()
      .where('interaction_id', '=', interactionId)
      .where('client_msg_id', '=', clientMsgId)
      .executeTakeFirst();
    return row && { message: toMessage(row), author: row.author };
  }

  /**
   * Stores messages (their seq already assigned by the caller) in one statement, so in one
   * transaction (with the write hooks): all of them or none. The chat's group commit calls this
   * once per batch; it is the only write point of messages.
   */
  async insertMessages(rows: MessagesTable[]): Promise<void> {
    if (rows.length === 0) return;
    const hooks = this.hooks;
    if (!hooks) return insertMessageRows.execute(this.k, rows);
    await this.transaction(async (_repo, trx) => {
      await insertMessageRows.execute(trx, rows);
      await hooks.messagesAdded(trx, rows);
    });
  }

  /** What a chat needs to number and de-duplicate new messages: the last seq and the clientMsgIds used. */
  async chatLog(interactionId: string): Promise<{ lastSeq: number; clientMsgIds: { clientMsgId: string; author: ChatAuthor }[]; bytes: number; customer: { count: number; bytes: number } }> {
    const rows = await this.k.selectFrom('messages').select(['seq', 'client_msg_id', 'author', 'text']).where('interaction_id', '=', interactionId).execute();
    let lastSeq = 0;
    let bytes = 0;
    const customer = { count: 0, bytes: 0 };
    const clientMsgIds: { clientMsgId: string; author: ChatAuthor }[] = [];
    for (const r of rows) {
      lastSeq = Math.max(lastSeq, Number(r.seq));
      const size = Buffer.byteLength(r.text ?? '');
      bytes += size;
      if (r.author === 'customer') {
        customer.count++;
        customer.bytes += size;
      }
      if (r.client_msg_id !== null) clientMsgIds.push({ clientMsgId: r.client_msg_id, author: r.author });
    }
    return { lastSeq, clientMsgIds, bytes, customer };
  }

  // ---- timeline ----

  async addEvent(interactionId: string, type: TimelineEventType, at: Date, actor: TimelineActor | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.k
      .insertInto('timeline')
      .values({
        // The database numbers it: SQLite's rowid, PostgreSQL's identity column (migration 016).
        interaction_id: interactionId,
        type,
        at: at.toISOString(),
        actor: actor?.username ?? null,
        actor_id: actor?.id ?? null,
        details: JSON.stringify(details),
      })
      .execute();
  }

  async timeline(interactionId: string): Promise<TimelineEvent[]> {
    const rows = await this.k.selectFrom('timeline').selectAll().where('interaction_id', '=', interactionId).orderBy('id').execute();
    return rows.map((r) => ({ type: r.type as TimelineEventType, at: r.at, actor: r.actor, details: parseObject(r.details) }));
  }

  // ---- summaries and history ----

  private summaryQuery() {
    return this.k
      .selectFrom('interactions as i')
      .innerJoin('queues as q', 'q.id', 'i.queue_id')
      .leftJoin('users as u', 'u.id', 'i.agent_id')
      .selectAll('i')
      .select(['q.name as queue_name', 'u.display_name as agent_name']);
  }

  async summary(id: string): Promise<(InteractionSummary & { row: InteractionRow }) | undefined> {
    const row = await this.summaryQuery().where('i.id', '=', id).executeTakeFirst();
    return row && { ...toSummary(row), row };
  }

  /**
   * Newest first. `before` is the cursor of the last row of the previous page. With `involving`,
   * only interactions that agent handles now or answered at some point (also before a transfer).
   * With `hideSensitive`, none marked sensitive.
   */
  async page(opts: { before?: { createdAt: string; id: string }; limit: number; involving?: string; hideSensitive?: boolean }): Promise<{ items: InteractionSummary[]; more: boolean }> {
    let query = this.summaryQuery();
    if (opts.hideSensitive) query = query.where('i.sensitive_category', 'is', null);
    if (opts.involving) {
      const agentId = opts.involving;
      query = query.where((eb) =>
        eb.or([
          eb('i.agent_id', '=', agentId),
          eb('i.id', 'in', eb.selectFrom('timeline').select('interaction_id').where('actor_id', '=', agentId).where('type', '=', 'answered')),
        ]),
      );
    }
    if (opts.before) {
      const { createdAt, id } = opts.before;
      query = query.where((eb) => eb.or([eb('i.created_at', '<', createdAt), eb.and([eb('i.created_at', '=', createdAt), eb('i.id', '<', id)])]));
    }
    const rows = await query.orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(opts.limit + 1).execute();
    return { items: rows.slice(0, opts.limit).map(toSummary), more: rows.length > opts.limit };
  }

  /** Whether this agent handles the interaction now or answered it at some point. */
  async involves(interactionId: string, agentId: string): Promise<boolean> {
    const row = await this.k
      .selectFrom('interactions as i')
      .select('i.id')
      .where('i.id', '=', interactionId)
      .where((eb) =>
        eb.or([
          eb('i.agent_id', '=', agentId),
          eb.exists(eb.selectFrom('timeline as t').select('t.id').whereRef('t.interaction_id', '=', 'i.id').where('t.actor_id', '=', agentId).where('t.type', '=', 'answered')),
        ]),
      )
      .executeTakeFirst();
    return row !== undefined;
  }
}

export function toMessage(row: MessagesTable): ChatMessage {
  return { id: row.id, interactionId: row.interaction_id, seq: Number(row.seq), from: row.author, authorName: row.author_name, text: row.text, at: row.at };
}

export function toSummary(row: InteractionRow & { queue_name: string; agent_name: string | null }): InteractionSummary {
  const customer: InteractionSummary['customer'] = {};
  if (row.customer_name) customer.name = row.customer_name;
  if (row.customer_email) customer.email = row.customer_email;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    queueId: row.queue_id,
    queueName: row.queue_name,
    customer,
    agentId: row.agent_id,
    agentName: row.agent_name,
    createdAt: row.created_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    onHold: Number(row.on_hold) === 1,
    disposition: row.disposition,
    ...sensitiveMark(row),
    ...(Number(row.child_protected) === 1 ? { childProtected: true as const } : {}),
  };
}

/** The summary's `sensitive` field: present only for a marked interaction. */
function sensitiveMark(row: InteractionRow): Pick<InteractionSummary, 'sensitive'> {
  const category = SensitiveCategory.safeParse(row.sensitive_category);
  if (!category.success) return {};
  return { sensitive: { category: category.data, markedAt: row.sensitive_marked_at ?? '', markedBy: row.sensitive_marked_by ?? '' } };
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
