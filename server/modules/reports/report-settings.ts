import { DEFAULT_ANONYMOUS_K, type ReportSettings } from '../../../shared/api/reports';
import type { Db } from '../../db/database';
import type { AuditLog } from '../audit/audit-log';
import { AuditAction } from '../audit/actions';

/** The org's statistics settings: one row once an admin saved them; a change is audited (numbers only). */
export class ReportSettingsStore {
  constructor(private readonly deps: { db: Db; audit: AuditLog; now: () => Date }) {}

  async get(): Promise<ReportSettings> {
    const row = await this.deps.db.kysely.selectFrom('report_settings').select('anonymous_k').where('singleton', '=', 1).executeTakeFirst();
    return { anonymousK: row ? Number(row.anonymous_k) : DEFAULT_ANONYMOUS_K };
  }

  async set(settings: ReportSettings, actor: { id: string; username: string }): Promise<ReportSettings> {
    const before = await this.get();
    const values = { anonymous_k: settings.anonymousK, updated_at: this.deps.now().toISOString(), updated_by: actor.username };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('report_settings')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await this.deps.audit.appendIn(trx, { actor, action: AuditAction.reportSettingsChanged, target: 'report-settings', details: { before, after: settings } });
    });
    return settings;
  }
}
