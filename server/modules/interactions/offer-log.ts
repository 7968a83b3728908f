import { randomUUID } from 'node:crypto';
import { emptyOfferOutcomeCounts, OfferOutcome, OUTCOME_COUNT_KEY, type OfferOutcomeCounts, type OfferRecord } from '../../../shared/domain/offers';
import type { Db } from '../../db/database';

/** 00:00 UTC of the day `at` falls in: the board's counting window ("today"). */
export function utcDayStart(at: Date): string {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())).toISOString();
}

/**
 * The offer records (table `offers`, migration 023): one row per offer of an interaction to an
 * agent, opened when the offer is made and closed with how it ended. It also keeps, in memory, the
 * counts of today's (UTC) offers that ended without being accepted, per queue and per agent, for
 * the supervisors' board (loaded from the table at start-up, so a restart keeps them).
 * Every write runs inside the interactions service's exclusive changes.
 */
export class OfferLog {
  private day = '';
  private readonly byQueue = new Map<string, OfferOutcomeCounts>();
  private readonly byAgent = new Map<string, OfferOutcomeCounts>();

  constructor(private readonly db: Db) {}

  /** Today's counts from the table (at start-up). */
  async load(now: Date): Promise<void> {
    this.reset(utcDayStart(now));
    const rows = await this.db.kysely
      .selectFrom('offers')
      .select(['queue_id', 'agent_id', 'outcome'])
      .where('ended_at', '>=', this.day)
      .where('outcome', 'is not', null)
      .execute();
    for (const r of rows) this.count(r.queue_id, r.agent_id, r.outcome);
  }

  async opened(offer: { interactionId: string; agentId: string; queueId: string; at: Date }): Promise<void> {
    await this.db.kysely
      .insertInto('offers')
      .values({ id: randomUUID(), interaction_id: offer.interactionId, agent_id: offer.agentId, queue_id: offer.queueId, offered_at: offer.at.toISOString(), ended_at: null, outcome: null })
      .execute();
  }

  /** Closes the agent's standing offer of the interaction (if any) with this outcome. */
  async ended(interactionId: string, agentId: string, outcome: OfferOutcome, at: Date): Promise<void> {
    const open = await this.db.kysely
      .selectFrom('offers')
      .select(['id', 'queue_id', 'agent_id'])
      .where('interaction_id', '=', interactionId)
      .where('agent_id', '=', agentId)
      .where('ended_at', 'is', null)
      .execute();
    await this.close(open, outcome, at);
  }

  /**
   * The agent accepted: their offer ends `accepted`; any other offer of the same interaction still
   * standing (offered to several agents at once) ends `taken_by_another`.
   */
  async accepted(interactionId: string, agentId: string, at: Date): Promise<void> {
    const open = await this.db.kysely.selectFrom('offers').select(['id', 'queue_id', 'agent_id']).where('interaction_id', '=', interactionId).where('ended_at', 'is', null).execute();
    await this.close(
      open.filter((o) => o.agent_id === agentId),
      'accepted',
      at,
    );
    await this.close(
      open.filter((o) => o.agent_id !== agentId),
      'taken_by_another',
      at,
    );
  }

  /** Offers a previous process left standing (at start-up): the restart took them back. */
  async withdrawStanding(at: Date): Promise<void> {
    const open = await this.db.kysely.selectFrom('offers').select(['id', 'queue_id', 'agent_id']).where('ended_at', 'is', null).execute();
    await this.close(open, 'withdrawn', at);
  }

  /** Today's (UTC) unaccepted outcomes of one queue. */
  queueCounts(queueId: string, now: Date): OfferOutcomeCounts {
    this.roll(now);
    return { ...(this.byQueue.get(queueId) ?? emptyOfferOutcomeCounts()) };
  }

  /** Today's (UTC) unaccepted outcomes of one agent. */
  agentCounts(agentId: string, now: Date): OfferOutcomeCounts {
    this.roll(now);
    return { ...(this.byAgent.get(agentId) ?? emptyOfferOutcomeCounts()) };
  }

  /**
   * Ended offers, newest first (by end time, then id). `agentId`: only that agent's. `before` is the
   * cursor of the previous page's last row.
   */
  async page(opts: { agentId?: string; before?: { endedAt: string; id: string }; limit: number }): Promise<{ items: OfferRecord[]; more: boolean }> {
    let query = this.db.kysely
      .selectFrom('offers as o')
      .innerJoin('interactions as i', 'i.id', 'o.interaction_id')
      .leftJoin('queues as q', 'q.id', 'o.queue_id')
      .leftJoin('users as u', 'u.id', 'o.agent_id')
      .select(['o.id', 'o.interaction_id', 'o.agent_id', 'o.queue_id', 'o.offered_at', 'o.ended_at', 'o.outcome', 'i.kind', 'q.name as queue_name', 'u.display_name as agent_name'])
      .where('o.ended_at', 'is not', null);
    if (opts.agentId) query = query.where('o.agent_id', '=', opts.agentId);
    if (opts.before) {
      const { endedAt, id } = opts.before;
      query = query.where((eb) => eb.or([eb('o.ended_at', '<', endedAt), eb.and([eb('o.ended_at', '=', endedAt), eb('o.id', '<', id)])]));
    }
    const rows = await query.orderBy('o.ended_at', 'desc').orderBy('o.id', 'desc').limit(opts.limit + 1).execute();
    const items: OfferRecord[] = [];
    for (const r of rows.slice(0, opts.limit)) {
      const outcome = OfferOutcome.safeParse(r.outcome);
      if (!outcome.success || r.ended_at === null || r.kind === 'message') continue;
      items.push({
        id: r.id,
        interactionId: r.interaction_id,
        kind: r.kind,
        queueId: r.queue_id,
        queueName: r.queue_name ?? r.queue_id,
        agentId: r.agent_id,
        agentName: r.agent_name ?? null,
        offeredAt: r.offered_at,
        endedAt: r.ended_at,
        outcome: outcome.data,
      });
    }
    return { items, more: rows.length > opts.limit };
  }

  private async close(rows: readonly { id: string; queue_id: string; agent_id: string }[], outcome: OfferOutcome, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.db.kysely
      .updateTable('offers')
      .set({ ended_at: at.toISOString(), outcome })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    this.roll(at);
    if (at.toISOString() >= this.day) for (const r of rows) this.count(r.queue_id, r.agent_id, outcome);
  }

  private count(queueId: string, agentId: string, outcome: string | null): void {
    const parsed = OfferOutcome.safeParse(outcome);
    if (!parsed.success || parsed.data === 'accepted') return;
    const key = OUTCOME_COUNT_KEY[parsed.data];
    for (const [map, id] of [
      [this.byQueue, queueId],
      [this.byAgent, agentId],
    ] as const) {
      const counts = map.get(id) ?? emptyOfferOutcomeCounts();
      counts[key]++;
      map.set(id, counts);
    }
  }

  /** A new UTC day starts from zero. */
  private roll(now: Date): void {
    const day = utcDayStart(now);
    if (day > this.day) this.reset(day);
  }

  private reset(day: string): void {
    this.day = day;
    this.byQueue.clear();
    this.byAgent.clear();
  }
}
