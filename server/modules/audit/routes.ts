import { AuditPageQuery } from '../../../shared/api/http';
import { parseInput } from '../../kernel/errors';
import type { RouteContext } from '../../kernel/routes';
import type { AuditLog } from './audit-log';

export function registerAuditRoutes({ app, guard }: RouteContext, deps: { audit: AuditLog }): void {
  const adminOnly = guard(['admin']);
  app.get('/api/audit/verify', { preHandler: adminOnly }, async () => deps.audit.verify());
  app.get('/api/audit', { preHandler: adminOnly }, async (request) => {
    const query = parseInput(AuditPageQuery, request.query, 'audit query');
    return deps.audit.page(query);
  });
}
