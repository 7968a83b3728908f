import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { InteractionService } from '../interactions/interaction-service';
import { SqlPauseIntervals } from './pause-intervals';
import { SecurePauseService } from './secure-pause-service';
import { securePauseHandlers } from './ws-handlers';

export interface SecurePauseModule extends ServerModule {
  readonly service: SecurePauseService;
}

/**
 * Builds secure pause: the service that owns each call's pause, its stored intervals and the
 * pause and resume messages. Build it before the modules that follow the pause (recordings,
 * monitoring), so that when a call ends paused, the pause ends first, as the audit log shows.
 */
export function createSecurePause(deps: { db: Db; audit: AuditLog; core: InteractionService; log?: { error(obj: object, msg: string): void } }): SecurePauseModule {
  const service = new SecurePauseService({
    intervals: new SqlPauseIntervals(deps.db),
    audit: deps.audit,
    core: deps.core,
    ...(deps.log ? { log: deps.log } : {}),
  });
  return {
    name: 'secure-pause',
    service,
    wsHandlers: securePauseHandlers(service),
    connected: (principal, connection) => service.connected(principal, connection),
  };
}
