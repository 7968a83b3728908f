import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import type { ServerModule } from '../../kernel/module';
import { declareRoute } from '../../kernel/routes';
import type { LimitStore } from '../limits/store';
import { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import { type NoticeSources, widgetNotices } from './notices-service';

/**
 * Customer notices: GET /api/widget/notices, public (the widget has no account) and limited per
 * address with its own budget, so reading it never uses up the address's starts.
 */
export function createNotices(deps: { sources: NoticeSources; config: { widgetStartsPerMinute: number }; limits?: LimitStore }): ServerModule {
  const limiter = new WidgetRateLimiter(deps.config.widgetStartsPerMinute, 60_000, deps.limits, 'widget:notices');
  return {
    name: 'notices',
    routes: ({ app }) =>
      declareRoute(app, endpoints.widgetNotices, {}, async ({ request }) => {
        const retryMs = await limiter.take(request.ip);
        if (retryMs > 0) {
          const seconds = Math.ceil(retryMs / 1000);
          throw new DomainError('rate_limited', `Too many requests from your address. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
        }
        return widgetNotices(deps.sources);
      }),
  };
}
