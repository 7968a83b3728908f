import { DEFAULT_MONITORING_POLICY, MonitorRole, type MonitoringPolicy } from '../../../shared/api/ws-monitoring';
import type { Db } from '../../db/database';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';

/**
 * The org's monitoring policy: stored in one row, the defaults (notice on, secure pause stops
 * monitoring, supervisors and admins may monitor, whisper and barge) until an admin sets it; every change audited
 * with before and after. Listeners (the monitoring service) learn of changes to apply them at once.
 */
export class MonitoringPolicyStore {
  private cached: MonitoringPolicy | null = null;
  private readonly listeners: ((policy: MonitoringPolicy, before: MonitoringPolicy) => Promise<void> | void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onChange(listener: (policy: MonitoringPolicy, before: MonitoringPolicy) => Promise<void> | void): void {
    this.listeners.push(listener);
  }

  async get(): Promise<MonitoringPolicy> {
    if (this.cached) return this.cached;
    const row = await this.db.kysely.selectFrom('monitoring_policy').selectAll().where('singleton', '=', 1).executeTakeFirst();
    this.cached = row
      ? {
          showNoticeToAgent: row.show_notice === 1,
          securePauseStopsMonitoring: row.pause_stops_monitoring === 1,
          rolesAllowed: parseRoles(row.roles_allowed),
          whisperRoles: parseRoles(row.whisper_roles),
          bargeRoles: parseRoles(row.barge_roles),
        }
      : DEFAULT_MONITORING_POLICY;
    return this.cached;
  }

  async set(policy: MonitoringPolicy, actor: AuditActor): Promise<MonitoringPolicy> {
    const before = await this.get();
    const next: MonitoringPolicy = {
      ...policy,
      rolesAllowed: [...new Set(policy.rolesAllowed)],
      whisperRoles: [...new Set(policy.whisperRoles)],
      bargeRoles: [...new Set(policy.bargeRoles)],
    };
    const values = {
      show_notice: next.showNoticeToAgent ? 1 : 0,
      pause_stops_monitoring: next.securePauseStopsMonitoring ? 1 : 0,
      roles_allowed: next.rolesAllowed.join(','),
      whisper_roles: next.whisperRoles.join(','),
      barge_roles: next.bargeRoles.join(','),
      updated_at: this.now().toISOString(),
      updated_by: actor.username,
    };
    // The policy and its audit entry commit together.
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('monitoring_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await this.audit.appendIn(trx, { actor, action: AuditAction.monitoringPolicyChanged, target: 'monitoring-policy', details: { before, after: next } });
    });
    this.cached = next;
    for (const listener of this.listeners) await listener(next, before);
    return next;
  }
}

function parseRoles(text: string): MonitorRole[] {
  return text
    .split(',')
    .map((r) => MonitorRole.safeParse(r.trim()))
    .flatMap((r) => (r.success ? [r.data] : []));
}
