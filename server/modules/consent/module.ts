import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionsModule } from '../interactions/module';
import type { LimitStore } from '../limits/store';
import { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import { ConsentRecords } from './consent-records';
import { ConsentSettingsStore } from './consent-settings';
import { registerConsentRoutes } from './routes';
import { TrainingLibrary } from './training-library';

/**
 * The settings and records exist before the interactions module (intake records the purposes ticked
 * at a start through them); the training library and the routes are added once it exists.
 */
export function createConsentRecords(deps: { db: Db; audit: AuditLog }): { settings: ConsentSettingsStore; records: ConsentRecords } {
  const settings = new ConsentSettingsStore(deps);
  return { settings, records: new ConsentRecords({ ...deps, settings }) };
}

export interface ConsentModule extends ServerModule {
  training: TrainingLibrary;
  /** For an erasure's transaction: drops the interaction's training items and consent records (as the data map says). */
}

export function createConsent(deps: {
  db: Db;
  audit: AuditLog;
  interactions: InteractionsModule;
  settings: ConsentSettingsStore;
  records: ConsentRecords;
  config: { widgetStartsPerMinute: number };
  /** Where the widget limits count (shared by every node with Redis); default: this module's memory. */
  limits?: LimitStore;
}): ConsentModule {
  const { interactions } = deps;
  const training = new TrainingLibrary({
    db: deps.db,
    audit: deps.audit,
    repo: interactions.core.repo,
    sensitive: interactions.sensitive,
    consents: deps.records,
    queueName: (id) => interactions.core.queues.get(id)?.name ?? id,
  });
  deps.records.onWithdrawn = (trx, record) => training.dropForWithdrawal(trx, record);
  const resolver = interactions.principalResolvers[0]!;
  // Its own budget: checking or withdrawing consent does not use up the address's starts.
  const limiter = new WidgetRateLimiter(deps.config.widgetStartsPerMinute, 60_000, deps.limits, 'widget:consent');
  return {
    name: 'consent',
    training,
    routes: (ctx) =>
      registerConsentRoutes(ctx, {
        settings: deps.settings,
        records: deps.records,
        training,
        repo: interactions.core.repo,
        sensitive: interactions.sensitive,
        resolveCustomer: (token) => (resolver.accepts(token) ? resolver.resolve(token) : Promise.resolve(null)),
        limiter,
      }),
  };
}
