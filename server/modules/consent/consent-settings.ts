import { ConsentPurpose, ConsentSettings, SENSITIVE_TRAINING_PURPOSE, TRAINING_PURPOSE, type WidgetConsentSettings } from '../../../shared/api/consent';
import type { Db } from '../../db/database';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { AuditTransaction } from '../audit/audit-log';

/** The demo org's notice and purposes (README, "Demo org"). */
export const DEMO_CONSENT_SETTINGS: ConsentSettings = {
  noticeVersion: '2026-01',
  noticeUrl: 'https://veildesk.example/privacy',
  purposes: [
    { id: TRAINING_PURPOSE, label: 'Use this conversation to train our team' },
    { id: SENSITIVE_TRAINING_PURPOSE, label: 'Include sensitive details when used for training' },
  ],
};

/**
 * The org's privacy notice and consent purposes (one row). Until an admin saves them (or the demo
 * org is seeded) there are none: the widget shows no notice and offers nothing to tick.
 */
export class ConsentSettingsStore {
  /**
   * The version of the published privacy notice in force (server/modules/privacy-notices), or null
   * before any is: when there is one it wins over the saved noticeVersion, so the widget shows it
   * and a form still showing an older one gets the 409 "notice has changed".
   */
  currentNoticeVersion: () => Promise<string | null> = async () => null;

  constructor(private readonly deps: { db: Db; audit: AuditLog; now?: () => Date }) {}

  async get(): Promise<ConsentSettings | null> {
    const row = await this.deps.db.kysely.selectFrom('consent_settings').selectAll().where('singleton', '=', 1).executeTakeFirst();
    if (!row) return null;
    // A row edited by hand into something invalid offers nothing rather than something unclear.
    const purposes = ConsentPurpose.array().safeParse(JSON.parse(row.purposes));
    const published = await this.currentNoticeVersion();
    const parsed = ConsentSettings.safeParse({ noticeVersion: published ?? row.notice_version, noticeUrl: row.notice_url, purposes: purposes.success ? purposes.data : [] });
    return parsed.success ? parsed.data : null;
  }

  async widgetView(): Promise<WidgetConsentSettings> {
    const settings = await this.get();
    if (!settings) return { notice: null, purposes: [] };
    return { notice: { version: settings.noticeVersion, url: settings.noticeUrl }, purposes: settings.purposes };
  }

  async set(settings: ConsentSettings, actor: AuditActor): Promise<ConsentSettings> {
    const published = await this.currentNoticeVersion();
    if (published !== null && settings.noticeVersion !== published) {
      throw new DomainError('conflict', `The notice version follows the published privacy notice (version ${published}). Publish a new version under Admin → Policy instead of changing it here.`);
    }
    const before = await this.get();
    await this.write(settings, actor.username, (trx) =>
      this.deps.audit.appendIn(trx, {
        actor,
        action: AuditAction.consentSettingsChanged,
        target: 'consent-settings',
        // Versions and purpose ids only: the settings are the org's, but a short entry is easier to read.
        details: {
          before: before ? { noticeVersion: before.noticeVersion, purposes: before.purposes.map((p) => p.id) } : null,
          after: { noticeVersion: settings.noticeVersion, purposes: settings.purposes.map((p) => p.id) },
        },
      }),
    );
    return settings;
  }

  /** Development start: the demo notice and purposes, unless settings exist already. */
  async seedDemo(): Promise<void> {
    if (await this.get()) return;
    await this.write(DEMO_CONSENT_SETTINGS, null);
  }

  /** Stores the settings; `alongside` (their audit entry) runs in the same transaction. */
  private async write(settings: ConsentSettings, by: string | null, alongside?: (trx: AuditTransaction) => Promise<unknown>): Promise<void> {
    const values = {
      notice_version: settings.noticeVersion,
      notice_url: settings.noticeUrl,
      purposes: JSON.stringify(settings.purposes),
      updated_at: (this.deps.now?.() ?? new Date()).toISOString(),
      updated_by: by,
    };
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('consent_settings')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await alongside?.(trx);
    });
  }
}
