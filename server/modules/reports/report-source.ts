import type { ReportBucket } from '../../../shared/api/reports';
import type { Db } from '../../db/database';
import type { ReportRollup } from './report-rollup';

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
 * What reports read: sums and nearest-rank percentiles per group and UTC bucket, added up from the
 * hourly rollup (report-rollup.ts) rather than from every interaction: 100,000 interactions over a
 * month are about 1,500 rows per group. Only counts and durations come out: no customer field, no
 * text, no interaction id. Chats and calls only (a left message is offered to no one).
 *
 * Percentiles are exact: the rollup keeps every measured time, so a day's p90 is the value at rank
 * ceil(90·n/100) of all the day's times, as if computed from the interactions themselves.
 */
export class ReportSource {
  constructor(
    private readonly db: Db,
    private readonly rollup: ReportRollup,
  ) {}

  async aggregate(q: AggregateQuery): Promise<Aggregates> {
    await this.rollup.refresh();
    const cells = await this.rollup.cells(q.group, q.from, q.to, { unflaggedOnly: q.excludeFlagged ?? false });
    const sums = new Map<string, { agg: Aggregate; waits: number[][]; handles: number[][] }>();
    for (const c of cells) {
      const key = aggregateKey(c.group, bucketStart(c.hour, q.bucket));
      let sum = sums.get(key);
      if (!sum) sums.set(key, (sum = { agg: empty(), waits: [], handles: [] }));
      const a = sum.agg;
      a.interactions += c.interactions;
      a.offered += c.offered;
      a.answered += c.answered;
      a.abandoned += c.abandoned;
      a.sensitive += c.sensitive;
      a.transfers += c.transfers;
      a.securePauses += c.securePauses;
      for (const [d, n] of Object.entries(c.dispositions)) a.dispositions[d] = (a.dispositions[d] ?? 0) + n;
      if (c.waitMs.length > 0) sum.waits.push(c.waitMs);
      if (c.handleMs.length > 0) sum.handles.push(c.handleMs);
    }
    const out: Aggregates = new Map();
    for (const [key, { agg, waits, handles }] of sums) {
      const w = merged(waits);
      const h = merged(handles);
      agg.waitP50Ms = nearestRank(w, 50);
      agg.waitP90Ms = nearestRank(w, 90);
      agg.handleP50Ms = nearestRank(h, 50);
      agg.handleP90Ms = nearestRank(h, 90);
      out.set(key, agg);
    }
    return out;
  }

  async queues(): Promise<{ id: string; name: string }[]> {
    return this.db.kysely.selectFrom('queues').select(['id', 'name']).orderBy('id').execute();
  }

  /** The agents the caller's per-agent report covers (teamOf). */
  async team(user: { id: string; role: string }): Promise<{ id: string; username: string; displayName: string }[]> {
    return teamOf(this.db, user);
  }
}

/**
 * A supervisor's team: the agents who are members of the queues the supervisor is a member of;
 * a supervisor in no queue (the demo org's) oversees every agent, as the live board shows them.
 * Admins see every agent. Evaluation averages use it too.
 */
export async function teamOf(db: Db, user: { id: string; role: string }): Promise<{ id: string; username: string; displayName: string }[]> {
  const k = db.kysely;
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

/** '2026-03-02T10' (an hour key) → the ISO start of its hour or day. */
function bucketStart(hour: string, bucket: ReportBucket): string {
  return bucket === 'hour' ? `${hour}:00:00.000Z` : `${hour.slice(0, 10)}T00:00:00.000Z`;
}

/** Ascending arrays → one ascending array (a single one as it is). */
function merged(lists: number[][]): Float64Array | number[] {
  if (lists.length === 1) return lists[0]!;
  const all = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const l of lists) {
    all.set(l, at);
    at += l.length;
  }
  return all.sort();
}

/** Nearest-rank percentile: the value at rank ceil(p·n/100) in ascending order, in integer arithmetic; null for none. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[Math.floor((n * p + 99) / 100) - 1]!;
}
