import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import { PrivacyNoticeService } from './notice-service';
import { registerPrivacyNoticeRoutes } from './routes';

export interface PrivacyNoticesModule extends ServerModule {
  service: PrivacyNoticeService;
}

/**
 * Privacy notice versions (issue 16). Its `admit` refuses a staff WebSocket hello until the user
 * has accepted the latest material version in force: the app's live work (offers, chats, calls,
 * presence) all runs over that socket.
 */
export function createPrivacyNotices(deps: { db: Db; audit: AuditLog; now: () => Date; config: { widgetStartsPerMinute: number } }): PrivacyNoticesModule {
  const service = new PrivacyNoticeService(deps);
  const limiter = new WidgetRateLimiter(deps.config.widgetStartsPerMinute, 60_000);
  return {
    name: 'privacy-notices',
    service,
    routes: (ctx) => registerPrivacyNoticeRoutes(ctx, { service, limiter }),
    admit: async (principal) => {
      if (principal.user) await service.assertAccepted(principal.user.id);
    },
  };
}
