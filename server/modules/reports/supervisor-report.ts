import type { ReportQuery, ReportResponse, ReportRow } from '../../../shared/api/reports';
import type { Aggregate, ReportSource } from './report-source';

/**
 * The supervisors' report: one row per queue (or per agent of the caller's team) and UTC bucket
 * that had interactions. Only counts and durations leave: never a customer field, a text or an
 * interaction id; sensitive interactions are in the counts and counted in `sensitive`.
 */
export async function supervisorReport(source: ReportSource, query: ReportQuery, caller: { id: string; role: string }): Promise<ReportResponse> {
  const aggregates = await source.aggregate({ from: query.from, to: query.to, bucket: query.bucket, group: query.group });
  const names =
    query.group === 'queue'
      ? new Map((await source.queues()).map((q) => [q.id, q.name]))
      : new Map((await source.team(caller)).map((a) => [a.id, a.displayName]));
  const rows: ReportRow[] = [];
  for (const [key, agg] of aggregates) {
    const [id, bucket] = key.split('\n') as [string, string];
    const name = names.get(id);
    // Per agent: only the caller's team. Per queue: a queue deleted since keeps its id as its name.
    if (name === undefined && query.group === 'agent') continue;
    rows.push(row({ kind: query.group, id, name: name ?? id }, bucket, agg, query.group));
  }
  rows.sort((a, b) => a.bucket.localeCompare(b.bucket) || a.group.name.localeCompare(b.group.name) || a.group.id.localeCompare(b.group.id));
  return { from: query.from, to: query.to, group: query.group, bucket: query.bucket, rows };
}

function row(group: ReportRow['group'], bucket: string, a: Aggregate, kind: 'queue' | 'agent'): ReportRow {
  return {
    group,
    bucket,
    // Per queue, every chat and call that entered it; per agent, the offers the agent got.
    offered: kind === 'queue' ? a.interactions : a.offered,
    answered: a.answered,
    abandoned: a.abandoned,
    waitP50Ms: a.waitP50Ms,
    waitP90Ms: a.waitP90Ms,
    handleP50Ms: a.handleP50Ms,
    handleP90Ms: a.handleP90Ms,
    dispositions: a.dispositions,
    transfers: a.transfers,
    securePauses: a.securePauses,
    sensitive: a.sensitive,
  };
}
