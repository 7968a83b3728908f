import type { FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/api/endpoints';
import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import { ALL_ROLES, declareRoute } from '../../kernel/routes';
import type { AuditLog } from '../audit/audit-log';
import type { Redaction } from '../redaction/redaction-service';
import { evaluationReport } from './evaluation-report';
import { type EvaluationDeps, EvaluationsService } from './evaluations-service';
import { Scorecards } from './scorecards';

/**
 * Evaluations' routes (issue 20): scorecards (admins write, supervisors and admins read),
 * evaluations (supervisors and admins write; the evaluated agent reads their own and comments),
 * the agent's own export and the averages for the supervisors' report.
 */
export function evaluationsModule(deps: { db: Db; audit: AuditLog; now: () => Date; redaction: Redaction; interactions: EvaluationDeps['interactions'] }): ServerModule {
  const scorecards = new Scorecards(deps);
  const service = new EvaluationsService({ ...deps, scorecards });
  return {
    name: 'evaluations',
    routes: ({ app, guard }) => {
      const staff = guard(ALL_ROLES);
      const overseers = guard(['supervisor', 'admin']);
      const admin = guard(['admin']);
      const actor = (request: FastifyRequest) => request.session!.user;

      declareRoute(app, endpoints.scorecards, { preHandler: overseers, input: 'scorecards query' }, async ({ query, request }) => ({
        // Archived ones are for admins' lists; supervisors pick among current ones.
        items: await scorecards.list(query.archived === 'true' && actor(request).role === 'admin'),
      }));
      declareRoute(app, endpoints.createScorecard, { preHandler: admin, input: 'scorecard' }, async ({ body, request, reply }) => reply.code(201).send(await scorecards.create(body, actor(request))));
      declareRoute(app, endpoints.updateScorecard, { preHandler: admin, input: 'scorecard' }, async ({ params, body, request }) => scorecards.update(params.id, body, actor(request)));
      declareRoute(app, endpoints.archiveScorecard, { preHandler: admin }, async ({ params, request }) => scorecards.archive(params.id, actor(request)));

      declareRoute(app, endpoints.createEvaluation, { preHandler: overseers, input: 'evaluation' }, async ({ body, request, reply }) => reply.code(201).send(await service.create(body, actor(request))));
      declareRoute(app, endpoints.myEvaluations, { preHandler: staff }, async ({ request }) => ({ items: await service.mine(actor(request)) }));
      declareRoute(app, endpoints.exportMyEvaluations, { preHandler: staff }, async ({ request, reply }) => {
        const body = await service.exportMine(actor(request));
        return reply.header('content-disposition', 'attachment; filename="veildesk-my-evaluations.json"').header('cache-control', 'no-store').send(body);
      });
      declareRoute(app, endpoints.evaluationReport, { preHandler: overseers, input: 'evaluation report request' }, async ({ query, request }) => evaluationReport(deps.db, query, actor(request)));
      declareRoute(app, endpoints.evaluation, { preHandler: staff }, async ({ params, request }) => service.get(params.id, actor(request)));
      declareRoute(app, endpoints.updateEvaluation, { preHandler: overseers, input: 'evaluation' }, async ({ params, body, request }) => service.update(params.id, body, actor(request)));
      declareRoute(app, endpoints.commentEvaluation, { preHandler: staff, input: 'comment' }, async ({ params, body, request }) => service.comment(params.id, body, actor(request)));
      declareRoute(app, endpoints.interactionEvaluations, { preHandler: staff }, async ({ params, request }) => ({ items: await service.ofInteraction(params.id, actor(request)) }));
    },
  };
}
