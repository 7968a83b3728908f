import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import type { SecurePauseService } from '../secure-pause/secure-pause-service';
import { NO_MONITOR_MEDIA, type MonitorMedia } from './media-port';
import { MonitoringService } from './monitoring-service';
import { MonitoringPolicyStore } from './policy';
import { registerMonitoringRoutes } from './routes';
import { monitoringHandlers } from './ws-handlers';

export interface MonitoringModule extends ServerModule {
  readonly service: MonitoringService;
  readonly policy: MonitoringPolicyStore;
}

/** Builds live call monitoring: the policy, the service (following calls and secure pause) and its routes. */
export function createMonitoring(deps: {
  db: Db;
  audit: AuditLog;
  core: InteractionService;
  securePause: SecurePauseService;
  /** The SFU; without one, monitoring is refused with a reason. */
  media?: MonitorMedia;
  log?: { error(obj: object, msg: string): void };
}): MonitoringModule {
  const policy = new MonitoringPolicyStore(deps.db, deps.audit);
  const service = new MonitoringService({
    core: deps.core,
    audit: deps.audit,
    policy,
    media: deps.media ?? NO_MONITOR_MEDIA,
    pause: deps.securePause,
    ...(deps.log ? { log: deps.log } : {}),
  });
  deps.securePause.subscribe((change) => service.pauseChanged(change));
  // An unrecorded call that is monitored can still be paused: the pause then holds the monitoring audio.
  deps.securePause.addTarget({ protects: (interactionId) => service.pauseHolds(interactionId) });
  return {
    name: 'monitoring',
    service,
    policy,
    wsHandlers: monitoringHandlers(service),
    routes: (ctx) => registerMonitoringRoutes(ctx, { policy }),
    connected: (principal, connection) => service.connected(principal, connection),
    disconnected: (principal, opts) => service.disconnected(principal, opts),
    signedOut: (userId) => void service.signedOut(userId),
    stop: () => service.dispose(),
  };
}
