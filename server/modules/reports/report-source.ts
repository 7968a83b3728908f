import type { Db } from '../../db/database';

/**
 * One chat or call as reports read it: times, status, the queue's disposition, flags. No customer
 * field, no text; the id stays on the server (it joins transfers and pauses, and is never sent).
 */
export interface InteractionFact {
  id: string;
  queueId: string;
  agentId: string | null;
  createdAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  wrapupAt: string | null;
  status: string;
  disposition: string | null;
  sensitive: boolean;
  childProtected: boolean;
  transfers: number;
  securePauses: number;
}

/** What reports read from the database: interactions created in a range, and who was offered them. */
export class ReportSource {
  constructor(private readonly db: Db) {}

  /** Chats and calls created in [from, to), with their transfer and secure-pause counts. Left messages are not offered to anyone and are not counted. */
  async facts(range: { from: string; to: string }, opts: { excludeFlagged?: boolean } = {}): Promise<InteractionFact[]> {
    const k = this.db.kysely;
    let query = k
      .selectFrom('interactions')
      .select(['id', 'queue_id', 'agent_id', 'created_at', 'answered_at', 'ended_at', 'wrapup_at', 'status', 'disposition', 'sensitive_category', 'child_protected'])
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .where('kind', 'in', ['chat', 'call']);
    if (opts.excludeFlagged) query = query.where('sensitive_category', 'is', null).where('child_protected', '=', 0);
    const [rows, transfers, pauses] = await Promise.all([
      query.execute(),
      k
        .selectFrom('timeline as t')
        .innerJoin('interactions as i', 'i.id', 't.interaction_id')
        .select(['t.interaction_id as id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('t.type', '=', 'transferred')
        .where('i.created_at', '>=', range.from)
        .where('i.created_at', '<', range.to)
        .groupBy('t.interaction_id')
        .execute(),
      k
        .selectFrom('recording_pauses as p')
        .innerJoin('interactions as i', 'i.id', 'p.interaction_id')
        .select(['p.interaction_id as id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('i.created_at', '>=', range.from)
        .where('i.created_at', '<', range.to)
        .groupBy('p.interaction_id')
        .execute(),
    ]);
    const transferCount = new Map(transfers.map((r) => [r.id, Number(r.n)]));
    const pauseCount = new Map(pauses.map((r) => [r.id, Number(r.n)]));
    return rows.map((r) => ({
      id: r.id,
      queueId: r.queue_id,
      agentId: r.agent_id,
      createdAt: r.created_at,
      answeredAt: r.answered_at,
      endedAt: r.ended_at,
      wrapupAt: r.wrapup_at,
      status: r.status,
      disposition: r.disposition,
      sensitive: r.sensitive_category !== null,
      childProtected: Number(r.child_protected) === 1,
      transfers: transferCount.get(r.id) ?? 0,
      securePauses: pauseCount.get(r.id) ?? 0,
    }));
  }

  /** Each (agent, interaction) offer of an interaction created in [from, to), once per pair. */
  async offers(range: { from: string; to: string }): Promise<{ agentId: string; interactionId: string; createdAt: string }[]> {
    const rows = await this.db.kysely
      .selectFrom('timeline as t')
      .innerJoin('interactions as i', 'i.id', 't.interaction_id')
      .select(['t.actor_id', 'i.id', 'i.created_at'])
      .distinct()
      .where('t.type', '=', 'offered')
      .where('t.actor_id', 'is not', null)
      .where('i.created_at', '>=', range.from)
      .where('i.created_at', '<', range.to)
      .where('i.kind', 'in', ['chat', 'call'])
      .execute();
    return rows.map((r) => ({ agentId: r.actor_id!, interactionId: r.id, createdAt: r.created_at }));
  }

  async queues(): Promise<{ id: string; name: string }[]> {
    return this.db.kysely.selectFrom('queues').select(['id', 'name']).orderBy('id').execute();
  }

  /**
   * A supervisor's team: the agents who are members of the queues the supervisor is a member of;
   * a supervisor in no queue (the demo org's) oversees every agent, as the live board shows them.
   * Admins see every agent.
   */
  async team(user: { id: string; role: string }): Promise<{ id: string; username: string; displayName: string }[]> {
    const k = this.db.kysely;
    let agents = k.selectFrom('users').select(['id', 'username', 'display_name']).where('role', '=', 'agent');
    if (user.role === 'supervisor') {
      const own = await k.selectFrom('queue_members').select('queue_id').where('user_id', '=', user.id).execute();
      if (own.length > 0) {
        agents = agents.where('id', 'in', k.selectFrom('queue_members').select('user_id').where('queue_id', 'in', own.map((q) => q.queue_id)));
      }
    }
    const rows = await agents.orderBy('username').execute();
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }));
  }
}
