import { MonitoringPolicy } from '../../../shared/api/ws-monitoring';
import { parseInput } from '../../kernel/errors';
import type { RouteContext } from '../../kernel/routes';
import type { MonitoringPolicyStore } from './policy';

/** The org's monitoring policy: admins only; a change is audited and applies to monitoring in progress at once. */
export function registerMonitoringRoutes({ app, guard }: RouteContext, deps: { policy: MonitoringPolicyStore }): void {
  const admin = guard(['admin']);
  app.get('/api/admin/monitoring-policy', { preHandler: admin }, async (): Promise<MonitoringPolicy> => deps.policy.get());
  app.put('/api/admin/monitoring-policy', { preHandler: admin }, async (request): Promise<MonitoringPolicy> => {
    const policy = parseInput(MonitoringPolicy, request.body, 'monitoring policy');
    const user = request.session!.user;
    return deps.policy.set(policy, { id: user.id, username: user.username });
  });
}
