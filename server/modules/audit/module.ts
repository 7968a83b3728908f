import type { ServerModule } from '../../kernel/module';
import type { AuditLog } from './audit-log';
import { registerAuditRoutes } from './routes';

/** The audit log's admin routes (page through it, verify the chain). */
export function auditModule(audit: AuditLog): ServerModule {
  return { name: 'audit', routes: (ctx) => registerAuditRoutes(ctx, { audit }) };
}
