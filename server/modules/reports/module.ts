import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import { CellNoise } from './cell-noise';
import { ReportRollup } from './report-rollup';
import { ReportSettingsStore } from './report-settings';
import { ReportSource } from './report-source';
import { registerReportRoutes } from './routes';

/** How often the rollup catches up with closed, changed or purged interactions between reports. */
export const ROLLUP_REFRESH_MS = 2_000;

/**
 * Reports (issue 16): supervisors' reports per queue or team agent and hour or day, their CSV, and
 * anonymous statistics with k-suppression. Read from an hourly rollup of the interactions (derived
 * data, rebuilt per hour when triggers mark it: at start for the migration's backfill, every few
 * seconds after closes, transfers, sensitive marks, purges and erasures, and before every report).
 */
export function createReports(deps: { db: Db; audit: AuditLog; now: () => Date; log: { error(obj: object, msg: string): void } }): ServerModule {
  const rollup = new ReportRollup(deps.db);
  const source = new ReportSource(deps.db, rollup);
  const settings = new ReportSettingsStore(deps);
  let timer: NodeJS.Timeout | null = null;
  const catchUp = () => void rollup.refresh().catch((err: unknown) => deps.log.error({ err }, 'reports: the rollup could not be rebuilt; the next report or catch-up tries again'));
  return {
    name: 'reports',
    routes: (ctx) => registerReportRoutes(ctx, { source, settings, noise: new CellNoise() }),
    start: () => {
      catchUp();
      timer = setInterval(catchUp, ROLLUP_REFRESH_MS);
      timer.unref();
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      timer = null;
      await rollup.idle();
    },
  };
}
