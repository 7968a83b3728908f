import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import { anonymousStats } from './anonymous-stats';
import type { CellNoise } from './cell-noise';
import { reportCsv } from './csv';
import type { ReportSettingsStore } from './report-settings';
import type { ReportSource } from './report-source';
import { supervisorReport } from './supervisor-report';

/** Reports and anonymous statistics: supervisors and admins (agents 403); the k and noise settings: admins. */
export function registerReportRoutes({ app, guard }: RouteContext, deps: { source: ReportSource; settings: ReportSettingsStore; noise: CellNoise }): void {
  const staff = guard(['supervisor', 'admin']);
  const admin = guard(['admin']);
  declareRoute(app, endpoints.reports, { preHandler: staff, input: 'report request' }, async ({ query, request }) => supervisorReport(deps.source, query, request.session!.user));
  declareRoute(app, endpoints.reportsCsv, { preHandler: staff, input: 'report request' }, async ({ query, request, reply }) => {
    const report = await supervisorReport(deps.source, query, request.session!.user);
    const name = `veildesk-report-${query.group}-${query.bucket}-${query.from.slice(0, 10)}-${query.to.slice(0, 10)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(reportCsv(report));
  });
  declareRoute(app, endpoints.anonymousStats, { preHandler: staff, input: 'statistics request' }, async ({ query }) =>
    anonymousStats(deps.source, query, (await deps.settings.get()).anonymousK, { settings: await deps.settings.getNoise(), cells: deps.noise }),
  );
  declareRoute(app, endpoints.reportSettings, { preHandler: admin }, async () => deps.settings.get());
  declareRoute(app, endpoints.reportNoise, { preHandler: admin }, async () => deps.settings.getNoise());
  declareRoute(app, endpoints.saveReportNoise, { preHandler: admin, input: 'noise settings' }, async ({ body, request }) => {
    const user = request.session!.user;
    return deps.settings.setNoise(body, { id: user.id, username: user.username });
  });
  declareRoute(app, endpoints.saveReportSettings, { preHandler: admin, input: 'report settings' }, async ({ body, request }) => {
    const user = request.session!.user;
    return deps.settings.set(body, { id: user.id, username: user.username });
  });
}
