import { DEFAULT_ANONYMOUS_K, DEFAULT_NOISE_SETTINGS, type AnonymousNoiseSettings, type ReportSettings } from '../../../shared/api/reports';
import type { Db } from '../../db/database';
import type { AuditLog } from '../audit/audit-log';
import { AuditAction } from '../audit/actions';

/** The org's statistics settings (k, optional noise): one row once an admin saved them; a change is audited (numbers only). */
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

  async getNoise(): Promise<AnonymousNoiseSettings> {
    const row = await this.deps.db.kysely.selectFrom('report_settings').select(['noise_enabled', 'noise_epsilon']).where('singleton', '=', 1).executeTakeFirst();
    return row ? { enabled: Number(row.noise_enabled) === 1, epsilon: Number(row.noise_epsilon) } : DEFAULT_NOISE_SETTINGS;
  }

  async setNoise(noise: AnonymousNoiseSettings, actor: { id: string; username: string }): Promise<AnonymousNoiseSettings> {
    const before = await this.getNoise();
    const after = { enabled: noise.enabled, epsilon: Math.round(noise.epsilon * 1000) / 1000 };
    const values = { noise_enabled: after.enabled ? 1 : 0, noise_epsilon: after.epsilon, updated_at: this.deps.now().toISOString(), updated_by: actor.username };
    await this.deps.db.kysely
      .insertInto('report_settings')
      .values({ singleton: 1, anonymous_k: DEFAULT_ANONYMOUS_K, ...values })
      .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
      .execute();
    await this.deps.audit.append({ actor, action: AuditAction.reportNoiseChanged, target: 'report-settings', details: { before, after } });
    return after;
  }
}
