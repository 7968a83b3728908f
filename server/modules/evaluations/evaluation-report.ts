import type { EvaluationReport, EvaluationReportQuery } from '../../../shared/api/evaluations';
import type { Db } from '../../db/database';
import { teamOf } from '../reports/report-source';

/**
 * Average evaluation scores for the supervisors' report: per agent of the caller's team and per
 * queue, over evaluations of interactions that started in [from, to). Averages and counts only,
 * no interaction listed (sensitive ones are counted like any other, as in the report).
 */
export async function evaluationReport(db: Db, query: EvaluationReportQuery, caller: { id: string; role: string }): Promise<EvaluationReport> {
  const k = db.kysely;
  const inRange = k
    .selectFrom('evaluations as e')
    .innerJoin('interactions as i', 'i.id', 'e.interaction_id')
    .where('i.created_at', '>=', query.from)
    .where('i.created_at', '<', query.to);
  const byAgent = await inRange
    .select(['e.agent_id as id', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.avg<number | string>('e.score').as('avg')])
    .groupBy('e.agent_id')
    .execute();
  const byQueue = await inRange
    .select(['i.queue_id as id', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.avg<number | string>('e.score').as('avg')])
    .groupBy('i.queue_id')
    .execute();
  const team = await teamOf(db, caller);
  const agentStats = new Map(byAgent.map((r) => [r.id, r]));
  const queues = new Map((await k.selectFrom('queues').select(['id', 'name']).execute()).map((q) => [q.id, q.name]));
  const row = (id: string, name: string, r: { n: number | string; avg: number | string | null }) => ({ id, name, evaluations: Number(r.n), averageScore: Math.round(Number(r.avg) * 10) / 10 });
  return {
    from: query.from,
    to: query.to,
    agents: team.flatMap((a) => {
      const r = agentStats.get(a.id);
      return r ? [row(a.id, a.displayName, r)] : [];
    }),
    // A queue deleted since keeps its id as its name, as in the report.
    queues: byQueue.map((r) => row(r.id, queues.get(r.id) ?? r.id, r)).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
