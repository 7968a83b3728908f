import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import { RetentionJob } from './retention-job';
import { RetentionRepo } from './retention-repo';
import { RetentionScope } from './retention-scope';
import { DEMO_RETENTION_POLICY, KEEP_EVERYTHING, RetentionService, type InteractionPurger, type RetentionRun } from './retention-service';
import { registerRetentionRoutes } from './routes';

export interface RetentionModule extends ServerModule {
  readonly service: RetentionService;
  /** Runs the purge now (after a run in progress); for tests that moved the clock, and for operators' tools. */
  runNow(): Promise<RetentionRun>;
}

/**
 * Retention by age (issue 14): the org's policy (admins, audited), its preview, and the job that
 * purges what is older, at start and every hour, through the erase path's purge. The demo org
 * starts with DEMO_RETENTION_POLICY, a production org keeps everything until an admin decides.
 */
export function createRetention(deps: {
  db: Db;
  audit: AuditLog;
  purger: InteractionPurger | null;
  config: { dataDir: string; seedDemo: boolean };
  now: () => Date;
  log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  intervalMs?: number;
}): RetentionModule {
  const repo = new RetentionRepo(deps.db);
  const service = new RetentionService({
    repo,
    scope: new RetentionScope({ db: deps.db, dataDir: deps.config.dataDir }),
    audit: deps.audit,
    purger: deps.purger,
    defaults: deps.config.seedDemo ? DEMO_RETENTION_POLICY : KEEP_EVERYTHING,
    now: deps.now,
    deleteMutationsBefore: (cutoff) => repo.deleteMutationsBefore(cutoff),
  });
  const job = new RetentionJob({
    run: () => service.run(),
    onError: (err) => deps.log.error({ err }, 'retention: purge failed; the next run tries again'),
    ...(deps.intervalMs !== undefined ? { intervalMs: deps.intervalMs } : {}),
  });
  return {
    name: 'retention',
    service,
    runNow: () => job.runNow(),
    routes: (ctx) =>
      registerRetentionRoutes(ctx, {
        service,
        // A saved policy applies at once, not only at the next hourly run.
        changed: () => void job.runNow().catch((err: unknown) => deps.log.error({ err }, 'retention: purge failed; the next run tries again')),
      }),
    start: () => {
      if (!deps.purger) deps.log.warn({}, "retention: interactions' data is not purged by age yet (the erase path's purge is not wired); only the audit log is");
      job.start();
    },
    stop: () => job.stop(),
  };
}
