import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import { ReportSettingsStore } from './report-settings';
import { ReportSource } from './report-source';
import { registerReportRoutes } from './routes';

/**
 * Reports (issue 16): supervisors' reports per queue or team agent and hour or day, their CSV, and
 * anonymous statistics with k-suppression. Computed from interactions on each request; nothing is
 * stored but the k setting.
 */
export function createReports(deps: { db: Db; audit: AuditLog; now: () => Date }): ServerModule {
  const source = new ReportSource(deps.db);
  const settings = new ReportSettingsStore(deps);
  return { name: 'reports', routes: (ctx) => registerReportRoutes(ctx, { source, settings }) };
}
