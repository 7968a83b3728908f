import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { PurgeFileStore, Purger } from '../privacy/purge/purger';
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
  /** The erase path's purge; each batch runs as one interactions change, as an erase does. */
  purger: Purger;
  core: Pick<InteractionService, 'run'>;
  /** Files the purger removes with their rows (recordings' audio), for the preview's counts. */
  files: readonly PurgeFileStore[];
  config: { seedDemo: boolean };
  now: () => Date;
  log: { error(obj: object, msg: string): void };
  intervalMs?: number;
}): RetentionModule {
  const repo = new RetentionRepo(deps.db);
  const service = new RetentionService({
    repo,
    scope: new RetentionScope({ db: deps.db, files: deps.files }),
    audit: deps.audit,
    purger: purgeThrough(deps.purger, deps.core),
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
    start: () => job.start(),
    stop: () => job.stop(),
  };
}

/** Retention's view of the privacy purger: one class, closed interactions, counts of what went (the run audits them). */
function purgeThrough(purger: Purger, core: Pick<InteractionService, 'run'>): InteractionPurger {
  return {
    purge: (retention, interactionIds) =>
      core.run(async () => {
        const report = await purger.purge(interactionIds, [retention], { actor: null, reason: 'retention' });
        return report.stores.map((s) => ({ store: s.store, count: s.done }));
      }),
  };
}
