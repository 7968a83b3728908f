import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { routes } from '../../../shared/api/routes';
import type { ConsentRecord } from '../../../shared/api/consent';
import type { Db } from '../../db/database';
import type { ConsentRecordsTable, Database } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { ConsentIntake, PreparedConsents } from '../interactions/consent-port';
import type { ConsentSettingsStore } from './consent-settings';

/** `withdrawn_by` of a withdrawal from the widget; an admin's is `admin:<user id>`. */
const BY_CUSTOMER = 'customer';
const ADMIN_PREFIX = 'admin:';

/** Run inside a withdrawal's transaction: what depends on the consent goes with it (the training library). Returns how many items went. */
export type WithdrawalHook = (trx: Kysely<Database>, record: ConsentRecordsTable) => Promise<number>;

/**
 * Customers' consent records: one per purpose ticked in the widget, with the notice version the form
 * showed. Withdrawn in place (time and who), never deleted but by an erasure; a withdrawal and what
 * it takes away (training items) commit together. Audit entries carry ids and purpose ids only.
 */
export class ConsentRecords implements ConsentIntake {
  /** Set by the module once the training library exists. */
  onWithdrawn: WithdrawalHook = async () => 0;

  constructor(private readonly deps: { db: Db; audit: AuditLog; settings: ConsentSettingsStore; now?: () => Date }) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async prepare(input: { consents: readonly string[]; noticeVersion?: string | undefined }): Promise<PreparedConsents | null> {
    if (input.consents.length === 0) return null;
    const settings = await this.deps.settings.get();
    const where = `${routes.widgetConsentSettings.method} ${routes.widgetConsentSettings.path}`;
    if (!settings) throw new DomainError('bad_request', `Invalid start request: consents: this organisation offers no consent purposes (${where}).`);
    if (input.noticeVersion === undefined) {
      throw new DomainError('bad_request', `Invalid start request: noticeVersion: send the version of the privacy notice the form showed with the consents (${where}).`);
    }
    if (input.noticeVersion !== settings.noticeVersion) {
      throw new DomainError('conflict', 'The privacy notice has changed since this form was shown. Reload the page, read the new notice and choose again.');
    }
    const purposes = [...new Set(input.consents)].map((id) => {
      const purpose = settings.purposes.find((p) => p.id === id);
      if (!purpose) throw new DomainError('bad_request', `Invalid start request: consents: no purpose ${id} (${where} lists them).`);
      return purpose;
    });
    return { noticeVersion: settings.noticeVersion, purposes };
  }

  /**
   * Stores one record per purpose, and its audit entry, inside the start's own transaction
   * (`trx`): the interaction, its consent records and the entry commit together or not at all.
   */
  async record(interactionId: string, prepared: PreparedConsents, at: Date, trx: Transaction<Database>): Promise<void> {
    const rows: ConsentRecordsTable[] = prepared.purposes.map((p) => ({
      id: randomUUID(),
      interaction_id: interactionId,
      purpose_id: p.id,
      purpose_label: p.label,
      notice_version: prepared.noticeVersion,
      given_at: at.toISOString(),
      channel: 'widget',
      withdrawn_at: null,
      withdrawn_by: null,
    }));
    if (rows.length === 0) return;
    await trx.insertInto('consent_records').values(rows).execute();
    await this.deps.audit.appendIn(trx, {
      actor: null,
      action: AuditAction.consentGiven,
      target: interactionId,
      details: { interactionId, purposes: rows.map((r) => r.purpose_id), noticeVersion: prepared.noticeVersion, channel: 'widget' },
    });
  }

  async forInteraction(interactionId: string): Promise<ConsentRecord[]> {
    const rows = await this.deps.db.kysely.selectFrom('consent_records').selectAll().where('interaction_id', '=', interactionId).orderBy('given_at').orderBy('purpose_id').execute();
    return rows.map(toRecord);
  }

  /** Whether the customer gave this purpose and has not withdrawn it. */
  async isActive(interactionId: string, purposeId: string): Promise<boolean> {
    const row = await this.deps.db.kysely
      .selectFrom('consent_records')
      .select('id')
      .where('interaction_id', '=', interactionId)
      .where('purpose_id', '=', purposeId)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The customer, with their conversation's token. 404 when they never gave it; a second withdrawal changes nothing. */
  async withdrawByCustomer(interactionId: string, purposeId: string): Promise<{ consent: ConsentRecord; trainingItemsDropped: number }> {
    const row = await this.deps.db.kysely.selectFrom('consent_records').selectAll().where('interaction_id', '=', interactionId).where('purpose_id', '=', purposeId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', `You did not give consent for ${purposeId} in this conversation.`);
    return this.withdraw(row, BY_CUSTOMER, null);
  }

  /** An admin, by the record's id (History's interaction detail lists them). */
  async withdrawByAdmin(recordId: string, admin: AuditActor): Promise<{ consent: ConsentRecord; trainingItemsDropped: number }> {
    const row = recordId.length <= 64 ? await this.deps.db.kysely.selectFrom('consent_records').selectAll().where('id', '=', recordId).executeTakeFirst() : undefined;
    if (!row) throw new DomainError('not_found', `No consent record ${recordId.slice(0, 64)}.`);
    return this.withdraw(row, `${ADMIN_PREFIX}${admin.id}`, admin);
  }

  private async withdraw(row: ConsentRecordsTable, by: string, actor: AuditActor | null): Promise<{ consent: ConsentRecord; trainingItemsDropped: number }> {
    if (row.withdrawn_at !== null) return { consent: toRecord(row), trainingItemsDropped: 0 };
    const at = this.now().toISOString();
    const { updated, dropped } = await this.deps.db.kysely.transaction().execute(async (trx) => {
      // Only a record still given is withdrawn: two withdrawals at once leave the first one's time and author.
      const result = await trx.updateTable('consent_records').set({ withdrawn_at: at, withdrawn_by: by }).where('id', '=', row.id).where('withdrawn_at', 'is', null).executeTakeFirst();
      const current = await trx.selectFrom('consent_records').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      if (Number(result.numUpdatedRows) === 0) return { updated: current, dropped: -1 };
      return { updated: current, dropped: await this.onWithdrawn(trx, current) };
    });
    if (dropped < 0) return { consent: toRecord(updated), trainingItemsDropped: 0 };
    await this.deps.audit.append({
      actor,
      action: AuditAction.consentWithdrawn,
      target: row.interaction_id,
      details: { interactionId: row.interaction_id, consentId: row.id, purpose: row.purpose_id, by: actor ? 'admin' : 'customer', trainingItemsDropped: dropped },
    });
    return { consent: toRecord(updated), trainingItemsDropped: dropped };
  }
}

function toRecord(row: ConsentRecordsTable): ConsentRecord {
  const by = row.withdrawn_by;
  return {
    id: row.id,
    interactionId: row.interaction_id,
    purposeId: row.purpose_id,
    purposeLabel: row.purpose_label,
    noticeVersion: row.notice_version,
    givenAt: row.given_at,
    channel: 'widget',
    withdrawnAt: row.withdrawn_at,
    withdrawnBy: by === null ? null : by.startsWith(ADMIN_PREFIX) ? { adminId: by.slice(ADMIN_PREFIX.length) } : 'customer',
  };
}
