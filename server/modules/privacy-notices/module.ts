import type { FastifyRequest } from 'fastify';
import { routes } from '../../../shared/api/routes';
import type { User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from '../audit/audit-log';
import type { LimitStore } from '../limits/store';
import { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import { PrivacyNoticeService } from './notice-service';
import { registerPrivacyNoticeRoutes } from './routes';

export interface PrivacyNoticesModule extends ServerModule {
  service: PrivacyNoticeService;
  /** For the HTTP guard: refuses the gated routes (GATED_HTTP_ROUTES) to staff with a material notice to accept. */
  admitHttp(request: FastifyRequest, user: User): Promise<void>;
}

/**
 * The HTTP routes gated like the WebSocket hello: reading history and the training library. Not
 * gated on purpose: sync and recording uploads (an app that signed in before a publish must not
 * lose what it holds), sign-out, /api/me, the notice routes themselves and the admin screens.
 */
export const GATED_HTTP_ROUTES = [routes.interactions, routes.interaction, routes.offers, routes.interactionConsents, routes.trainingItems, routes.trainingItem, routes.addTrainingItem];
const gated = new Set(GATED_HTTP_ROUTES.map((r) => `${r.method} ${r.path}`));

/**
 * Privacy notice versions (issue 16). Its `admit` refuses a staff WebSocket hello until the user
 * has accepted the latest material version in force: the app's live work (offers, chats, calls,
 * presence) all runs over that socket.
 */
export function createPrivacyNotices(deps: { db: Db; audit: AuditLog; now: () => Date; config: { widgetStartsPerMinute: number }; limits?: LimitStore }): PrivacyNoticesModule {
  const service = new PrivacyNoticeService(deps);
  const limiter = new WidgetRateLimiter(deps.config.widgetStartsPerMinute, 60_000, deps.limits, 'widget:notice-version');
  return {
    name: 'privacy-notices',
    service,
    routes: (ctx) => registerPrivacyNoticeRoutes(ctx, { service, limiter }),
    admit: async (principal) => {
      if (principal.user) await service.assertAccepted(principal.user.id);
    },
    admitHttp: async (request, user) => {
      if (gated.has(`${request.method} ${request.routeOptions.url}`)) await service.assertAccepted(user.id);
    },
  };
}
