import { sql, type RawBuilder } from 'kysely';
import type { ReportBucket } from '../../../shared/api/reports';
import type { Db } from '../../db/database';

/** The figures of one group (a queue or an agent) in one bucket, as the database sums them. */
export interface Aggregate {
  interactions: number;
  answered: number;
  abandoned: number;
  sensitive: number;
  waitP50Ms: number | null;
  waitP90Ms: number | null;
  handleP50Ms: number | null;
  handleP90Ms: number | null;
  transfers: number;
  securePauses: number;
  dispositions: Record<string, number>;
  /** Per agent: distinct interactions offered to the agent (per queue this stays 0). */
  offered: number;
}

export interface AggregateQuery {
  from: string;
  to: string;
  bucket: ReportBucket;
  group: 'queue' | 'agent';
  /** Leave out interactions marked sensitive or child-protected (anonymous statistics). */
  excludeFlagged?: boolean;
}

/** `${groupId}\n${bucketStart}` → its figures. */
export type Aggregates = Map<string, Aggregate>;

export const aggregateKey = (groupId: string, bucket: string) => `${groupId}\n${bucket}`;

const empty = (): Aggregate => ({
  interactions: 0,
  answered: 0,
  abandoned: 0,
  sensitive: 0,
  waitP50Ms: null,
  waitP90Ms: null,
  handleP50Ms: null,
  handleP90Ms: null,
  transfers: 0,
  securePauses: 0,
  dispositions: {},
  offered: 0,
});

/**
 * What reports read: sums and nearest-rank percentiles computed by the database per group and UTC
 * bucket, so 100,000 interactions cost a few grouped scans, not 100,000 rows in JavaScript. Only
 * counts and durations come out: no customer field, no text, no interaction id. Chats and calls
 * only (a left message is offered to no one).
 *
 * Wait: created → answered. Handle: answered → end of wrap-up (or end, without one). Abandoned: the
 * customer left before an answer. Transfers and secure pauses count towards the interaction's
 * bucket and current queue.
 */
export class ReportSource {
  constructor(private readonly db: Db) {}

  async aggregate(q: AggregateQuery): Promise<Aggregates> {
    const g = sql.raw(q.group === 'queue' ? 'i.queue_id' : 'i.agent_id');
    // Times are stored as toISOString(): the first 13 or 10 characters are the UTC hour or day.
    const b = sql.raw(q.bucket === 'hour' ? 'substr(i.created_at, 1, 13)' : 'substr(i.created_at, 1, 10)');
    const where = sql.join(
      [
        sql`i.created_at >= ${q.from}`,
        sql`i.created_at < ${q.to}`,
        sql`i.kind in ('chat', 'call')`,
        ...(q.group === 'agent' ? [sql`i.agent_id is not null`] : []),
        ...(q.excludeFlagged ? [sql`i.sensitive_category is null`, sql`i.child_protected = 0`] : []),
      ],
      sql` and `,
    );
    const k = this.db.kysely;
    const [counts, transfers, pauses, durations, offers] = await Promise.all([
      // Counts per disposition too: one scan gives both (summed per bucket below).
      sql<{ g: string; b: string; d: string | null; n: number; answered: number; abandoned: number; sensitive: number }>`
        select ${g} as g, ${b} as b, i.disposition as d, count(*) as n,
          sum(case when i.answered_at is not null then 1 else 0 end) as answered,
          sum(case when i.answered_at is null and i.status = 'abandoned' then 1 else 0 end) as abandoned,
          sum(case when i.sensitive_category is not null then 1 else 0 end) as sensitive
        from interactions i where ${where} group by ${g}, ${b}, i.disposition`.execute(k),
      sql<{ g: string; b: string; n: number }>`
        select ${g} as g, ${b} as b, count(*) as n
        from timeline t join interactions i on i.id = t.interaction_id
        where t.type = 'transferred' and ${where} group by ${g}, ${b}`.execute(k),
      sql<{ g: string; b: string; n: number }>`
        select ${g} as g, ${b} as b, count(*) as n
        from recording_pauses p join interactions i on i.id = p.interaction_id
        where ${where} group by ${g}, ${b}`.execute(k),
      this.percentiles(g, b, where),
      q.group === 'agent'
        ? sql<{ g: string; b: string; n: number }>`
            select t.actor_id as g, ${b} as b, count(distinct i.id) as n
            from timeline t join interactions i on i.id = t.interaction_id
            where t.type = 'offered' and t.actor_id is not null
              and i.created_at >= ${q.from} and i.created_at < ${q.to} and i.kind in ('chat', 'call')
            group by t.actor_id, ${b}`.execute(k)
        : Promise.resolve({ rows: [] as { g: string; b: string; n: number }[] }),
    ]);

    const out: Aggregates = new Map();
    const at = (row: { g: string; b: string }) => {
      const key = aggregateKey(row.g, bucketStart(row.b, q.bucket));
      let agg = out.get(key);
      if (!agg) out.set(key, (agg = empty()));
      return agg;
    };
    for (const r of counts.rows) {
      const agg = at(r);
      agg.interactions += Number(r.n);
      agg.answered += Number(r.answered);
      agg.abandoned += Number(r.abandoned);
      agg.sensitive += Number(r.sensitive);
      if (r.d !== null) agg.dispositions[r.d] = Number(r.n);
    }
    for (const r of transfers.rows) at(r).transfers = Number(r.n);
    for (const r of pauses.rows) at(r).securePauses = Number(r.n);
    for (const r of durations) Object.assign(at(r), r.figures);
    for (const r of offers.rows) at(r).offered = Number(r.n);
    return out;
  }

  /**
   * Nearest-rank p50 and p90 of wait and handle time per group and bucket: the value at rank
   * ceil(p·n/100) in ascending order, always one of the measured values (integer arithmetic: no
   * float rounding). One scan, two orders; an unmeasured value (null) sorts after the measured ones.
   */
  private async percentiles(g: RawBuilder<unknown>, b: RawBuilder<unknown>, where: RawBuilder<unknown>): Promise<{ g: string; b: string; figures: Partial<Aggregate> }[]> {
    const wait = this.msBetween(sql`i.answered_at`, sql`i.created_at`);
    const handle = this.msBetween(sql`coalesce(i.wrapup_at, i.ended_at)`, sql`i.answered_at`);
    const rank = (rn: string, n: string) => sql.raw(`(${rn} = (${n} * 50 + 99) / 100 or ${rn} = (${n} * 90 + 99) / 100)`);
    const rows = await sql<{ g: string; b: string; w: number | null; h: number | null; rw: number; nw: number; rh: number; nh: number }>`
      select g, b, w, h, rw, nw, rh, nh from (
        select g, b, w, h,
          row_number() over (partition by g, b order by case when w is null then 1 else 0 end, w) as rw, count(w) over (partition by g, b) as nw,
          row_number() over (partition by g, b order by case when h is null then 1 else 0 end, h) as rh, count(h) over (partition by g, b) as nh
        from (
          select ${g} as g, ${b} as b,
            case when i.answered_at is not null then ${wait} end as w,
            case when i.answered_at is not null and coalesce(i.wrapup_at, i.ended_at) is not null then ${handle} end as h
          from interactions i where ${where} and i.answered_at is not null
        ) v
      ) r
      where (w is not null and ${rank('rw', 'nw')}) or (h is not null and ${rank('rh', 'nh')})`.execute(this.db.kysely);
    const out = new Map<string, { g: string; b: string; figures: Partial<Aggregate> }>();
    const nearest = (rn: number, n: number, p: number) => rn === Math.floor((n * p + 99) / 100);
    for (const r of rows.rows) {
      const key = `${r.g}\n${r.b}`;
      const entry = out.get(key) ?? { g: r.g, b: r.b, figures: {} };
      const [rw, nw, rh, nh] = [Number(r.rw), Number(r.nw), Number(r.rh), Number(r.nh)];
      if (r.w !== null) {
        if (nearest(rw, nw, 50)) entry.figures.waitP50Ms = Math.max(0, Number(r.w));
        if (nearest(rw, nw, 90)) entry.figures.waitP90Ms = Math.max(0, Number(r.w));
      }
      if (r.h !== null) {
        if (nearest(rh, nh, 50)) entry.figures.handleP50Ms = Math.max(0, Number(r.h));
        if (nearest(rh, nh, 90)) entry.figures.handleP90Ms = Math.max(0, Number(r.h));
      }
      out.set(key, entry);
    }
    return [...out.values()];
  }

  /** Whole milliseconds from `start` to `end` (ISO-8601 text columns), in the database's own words. */
  private msBetween(end: RawBuilder<unknown>, start: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.db.dialect === 'postgres'
      ? sql`cast(round(extract(epoch from (cast(${end} as timestamptz) - cast(${start} as timestamptz))) * 1000) as bigint)`
      : sql`cast(round((julianday(${end}) - julianday(${start})) * 86400000) as integer)`;
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

/** '2026-03-02T10' or '2026-03-02' → the bucket's ISO start. */
function bucketStart(prefix: string, bucket: ReportBucket): string {
  return bucket === 'hour' ? `${prefix}:00:00.000Z` : `${prefix}T00:00:00.000Z`;
}
