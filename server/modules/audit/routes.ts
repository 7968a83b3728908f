import { endpoints } from '../../../shared/api/endpoints';
import { declareRoute, type RouteContext } from '../../kernel/routes';
import type { AuditLog } from './audit-log';

export function registerAuditRoutes({ app, guard }: RouteContext, deps: { audit: AuditLog }): void {
  const adminOnly = guard(['admin']);
  declareRoute(app, endpoints.auditVerify, { preHandler: adminOnly }, async () => deps.audit.verify());
  declareRoute(app, endpoints.auditPage, { preHandler: adminOnly, input: 'audit query' }, async ({ query }) => deps.audit.page(query));
}
