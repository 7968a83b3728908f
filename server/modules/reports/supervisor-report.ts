import type { ReportQuery, ReportResponse, ReportRow } from '../../../shared/api/reports';
import { bucketOf } from './buckets';
import { measure } from './measures';
import type { InteractionFact, ReportSource } from './report-source';

/**
 * The supervisors' report: one row per queue (or per agent of the caller's team) and UTC bucket
 * that had interactions, oldest first. Only counts and durations leave: never a customer field, a
 * text or an interaction id; sensitive interactions are in the counts and counted in `sensitive`.
 */
export async function supervisorReport(source: ReportSource, query: ReportQuery, caller: { id: string; role: string }): Promise<ReportResponse> {
  const range = { from: query.from, to: query.to };
  const facts = await source.facts(range);
  const rows = query.group === 'queue' ? await byQueue(source, facts, query) : await byAgent(source, facts, query, caller);
  rows.sort((a, b) => a.bucket.localeCompare(b.bucket) || a.group.name.localeCompare(b.group.name) || a.group.id.localeCompare(b.group.id));
  return { from: query.from, to: query.to, group: query.group, bucket: query.bucket, rows };
}

async function byQueue(source: ReportSource, facts: InteractionFact[], query: ReportQuery): Promise<ReportRow[]> {
  const names = new Map((await source.queues()).map((q) => [q.id, q.name]));
  const groups = groupBy(facts, (f) => `${f.queueId}\n${bucketOf(f.createdAt, query.bucket)}`);
  return [...groups.values()].map((list) => {
    const first = list[0]!;
    return row({ kind: 'queue', id: first.queueId, name: names.get(first.queueId) ?? first.queueId }, bucketOf(first.createdAt, query.bucket), list.length, list);
  });
}

/** Per agent of the caller's team: offered from the offers they got; the rest from what they handled last. */
async function byAgent(source: ReportSource, facts: InteractionFact[], query: ReportQuery, caller: { id: string; role: string }): Promise<ReportRow[]> {
  const team = new Map((await source.team(caller)).map((a) => [a.id, a]));
  const handled = groupBy(
    facts.filter((f) => f.agentId !== null && team.has(f.agentId)),
    (f) => `${f.agentId}\n${bucketOf(f.createdAt, query.bucket)}`,
  );
  const offered = new Map<string, number>();
  for (const o of await source.offers({ from: query.from, to: query.to })) {
    if (!team.has(o.agentId)) continue;
    const key = `${o.agentId}\n${bucketOf(o.createdAt, query.bucket)}`;
    offered.set(key, (offered.get(key) ?? 0) + 1);
  }
  const keys = new Set([...handled.keys(), ...offered.keys()]);
  return [...keys].map((key) => {
    const [agentId, bucket] = key.split('\n') as [string, string];
    const agent = team.get(agentId)!;
    return row({ kind: 'agent', id: agent.id, name: agent.displayName }, bucket, offered.get(key) ?? 0, handled.get(key) ?? []);
  });
}

function row(group: ReportRow['group'], bucket: string, offered: number, facts: InteractionFact[]): ReportRow {
  const m = measure(facts);
  return { group, bucket, offered, ...m };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
