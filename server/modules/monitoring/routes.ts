import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { MonitoringPolicyStore } from './policy';

/** The org's monitoring policy: admins only; a change is audited and applies to monitoring in progress at once. */
export function registerMonitoringRoutes({ app, guard }: RouteContext, deps: { policy: MonitoringPolicyStore }): void {
  const admin = guard(['admin']);
  declareRoute(app, endpoints.monitoringPolicy, { preHandler: admin }, async () => deps.policy.get());
  declareRoute(app, endpoints.saveMonitoringPolicy, { preHandler: admin, input: 'monitoring policy' }, async ({ body: policy, request }) => {
    const user = request.session!.user;
    return deps.policy.set(policy, { id: user.id, username: user.username });
  });
}
