import { endpoints } from '../../../shared/api/endpoints';
import { DomainError } from '../../kernel/errors';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import type { WidgetRateLimiter } from '../interactions/widget-rate-limit';
import type { PrivacyNoticeService } from './notice-service';

/** Publish and list (admins), the current version (anyone, rate-limited per address), status and acceptance (staff). */
export function registerPrivacyNoticeRoutes({ app, guard }: RouteContext, deps: { service: PrivacyNoticeService; limiter: WidgetRateLimiter }): void {
  const admin = guard(['admin']);
  const staff = guard(ALL_ROLES);
  const { service } = deps;

  declareRoute(app, endpoints.currentPrivacyNotice, {}, async ({ request }) => {
    const retryMs = await deps.limiter.take(request.ip);
    if (retryMs > 0) {
      const seconds = Math.ceil(retryMs / 1000);
      throw new DomainError('rate_limited', `Too many requests from your address. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
    return { notice: await service.current() };
  });
  declareRoute(app, endpoints.myPrivacyNotice, { preHandler: staff }, async ({ request }) => service.statusFor(request.session!.user.id));
  declareRoute(app, endpoints.acceptPrivacyNotice, { preHandler: staff, input: 'acceptance' }, async ({ body, request }) => service.accept(request.session!.user, body.noticeId));

  declareRoute(app, endpoints.privacyNotices, { preHandler: admin }, async () => ({ notices: await service.listForAdmin() }));
  declareRoute(app, endpoints.publishPrivacyNotice, { preHandler: admin, input: 'privacy notice' }, async ({ body, request, reply }) => {
    return reply.status(201).send(await service.publish(body, request.session!.user));
  });
}
