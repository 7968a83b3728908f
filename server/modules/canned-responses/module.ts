import { endpoints } from '../../../shared/api/endpoints';
import type { ServerModule } from '../../kernel/module';
import { declareRoute } from '../../kernel/routes';
import type { CannedCaller, CannedResponsesService } from './service';

/** Canned responses' routes: staff who work conversations (agents, supervisors, admins). */
export function cannedResponsesModule(service: CannedResponsesService): ServerModule {
  return {
    name: 'canned-responses',
    routes: ({ app, guard }) => {
      const staff = guard(['agent', 'supervisor', 'admin']);
      const caller = (user: { id: string; username: string; role: string }): CannedCaller => ({ id: user.id, username: user.username, isAdmin: user.role === 'admin' });
      declareRoute(app, endpoints.cannedResponses, { preHandler: staff }, async ({ request }) => ({ items: await service.list(request.session!.user.id) }));
      declareRoute(app, endpoints.createCannedResponse, { preHandler: staff, input: 'reply' }, async ({ body, request, reply }) =>
        reply.code(201).send(await service.create(body, caller(request.session!.user))),
      );
      declareRoute(app, endpoints.updateCannedResponse, { preHandler: staff, input: 'reply' }, async ({ params, body, request }) => service.update(params.id, body, caller(request.session!.user)));
      declareRoute(app, endpoints.deleteCannedResponse, { preHandler: staff }, async ({ params, request }) => {
        await service.remove(params.id, caller(request.session!.user));
        return { deleted: true as const };
      });
    },
  };
}
