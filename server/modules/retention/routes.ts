import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { RetentionService } from './retention-service';

/** The retention policy's routes: admins only (others 403); a change is audited and applies at the next run. */
export function registerRetentionRoutes({ app, guard }: RouteContext, deps: { service: RetentionService; changed: () => void }): void {
  const admin = guard(['admin']);
  declareRoute(app, endpoints.retentionPolicy, { preHandler: admin }, async () => deps.service.get());
  declareRoute(app, endpoints.saveRetentionPolicy, { preHandler: admin, input: 'retention policy' }, async ({ body, request }) => {
    const user = request.session!.user;
    const saved = await deps.service.set(body, { id: user.id, username: user.username });
    deps.changed();
    return saved;
  });
  declareRoute(app, endpoints.previewRetention, { preHandler: admin, input: 'retention policy' }, async ({ body }) => deps.service.preview(body));
}
