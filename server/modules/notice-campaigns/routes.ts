import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { NoticeService } from './notice-service';

/** Notice campaigns: admins only (others 403). A start answers 202 and runs in the background. */
export function registerNoticeRoutes({ app, guard }: RouteContext, service: NoticeService): void {
  const admin = guard(['admin']);
  declareRoute(app, endpoints.noticeCampaigns, { preHandler: admin }, async () => ({ campaigns: await service.list() }));
  declareRoute(app, endpoints.createNoticeCampaign, { preHandler: admin, input: 'notice campaign' }, async ({ body, request, reply }) => {
    const user = request.session!.user;
    return reply.status(202).send(await service.create(body, { id: user.id, username: user.username }));
  });
  declareRoute(app, endpoints.noticeCampaign, { preHandler: admin }, async ({ params }) => service.get(params.id));
}
