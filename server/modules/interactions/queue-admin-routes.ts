import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { QueueAdmin } from './queue-admin';

/** Admin → Queues: GET/POST /api/admin/queues, PUT /api/admin/queues/:id (admins only). */
export function registerQueueAdminRoutes({ app, guard }: RouteContext, queues: QueueAdmin): void {
  const admin = guard(['admin']);
  const actorOf = (user: { id: string; username: string }) => ({ id: user.id, username: user.username });
  declareRoute(app, endpoints.adminQueues, { preHandler: admin }, async () => ({ queues: await queues.list() }));
  declareRoute(app, endpoints.createQueue, { preHandler: admin, input: 'new queue' }, async ({ body, request }) => queues.create(body, actorOf(request.session!.user)));
  declareRoute(app, endpoints.updateQueue, { preHandler: admin, input: 'queue change' }, async ({ params, body, request }) => queues.update(params.id, body, actorOf(request.session!.user)));
}
