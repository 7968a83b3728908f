import type { FastifyInstance } from 'fastify';
import { AuditPageQuery } from '../../../shared/api/http';
import { requireRole } from '../../http/authenticate';
import { parseInput } from '../../kernel/errors';
import type { SessionStore } from '../auth/sessions';
import type { AuditLog } from './audit-log';

export function registerAuditRoutes(app: FastifyInstance, deps: { sessions: SessionStore; audit: AuditLog }): void {
  const adminOnly = requireRole(deps.sessions, ['admin']);
  app.get('/api/audit/verify', { preHandler: adminOnly }, async () => deps.audit.verify());
  app.get('/api/audit', { preHandler: adminOnly }, async (request) => {
    const query = parseInput(AuditPageQuery, request.query, 'audit query');
    return deps.audit.page(query);
  });
}
