import { randomUUID } from 'node:crypto';
import type { PrivacyNotice, PublishPrivacyNoticeRequest } from '../../../shared/api/privacy-notice';
import type { Db } from '../../db/database';
import type { PrivacyNoticesTable } from '../../db/schema';

/** `2026-12-01` means midnight UTC; a date-time keeps its instant. */
export function effectiveInstant(effectiveDate: string): string {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(effectiveDate) ? `${effectiveDate}T00:00:00Z` : effectiveDate;
  return new Date(value).toISOString();
}

export function toNotice(row: PrivacyNoticesTable): PrivacyNotice {
  return {
    id: row.id,
    version: String(row.version),
    text: row.text,
    effectiveAt: row.effective_at,
    material: Number(row.material) === 1,
    publishedAt: row.published_at,
  };
}

/**
 * The published versions. Insert-only: there is no update or delete here, and the database's
 * triggers (migration 013) refuse one from anywhere else. Versions count up from 1.
 */
export class NoticesStore {
  constructor(private readonly db: Db) {}

  async insert(input: PublishPrivacyNoticeRequest, by: string, at: Date): Promise<PrivacyNoticesTable> {
    // Two publishes at once may pick the same number; the unique index refuses the second, which retries.
    for (let attempt = 0; ; attempt++) {
      const last = await this.db.kysely.selectFrom('privacy_notices').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      const row: PrivacyNoticesTable = {
        id: randomUUID(),
        version: Number(last?.v ?? 0) + 1,
        text: input.text,
        effective_at: effectiveInstant(input.effectiveDate),
        material: input.material ? 1 : 0,
        published_at: at.toISOString(),
        published_by: by,
      };
      try {
        await this.db.kysely.insertInto('privacy_notices').values(row).execute();
        return row;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  /** Newest effective first (ties: the later version first). */
  async all(): Promise<PrivacyNoticesTable[]> {
    return this.db.kysely.selectFrom('privacy_notices').selectAll().orderBy('effective_at', 'desc').orderBy('version', 'desc').execute();
  }

  /** The version in force at `now`: the latest whose effective date has come. */
  async current(now: Date): Promise<PrivacyNoticesTable | undefined> {
    return this.db.kysely.selectFrom('privacy_notices').selectAll().where('effective_at', '<=', now.toISOString()).orderBy('effective_at', 'desc').orderBy('version', 'desc').executeTakeFirst();
  }

  /** The latest material version in force at `now`: staff must have accepted it or a later one. */
  async latestMaterial(now: Date): Promise<PrivacyNoticesTable | undefined> {
    return this.db.kysely
      .selectFrom('privacy_notices')
      .selectAll()
      .where('effective_at', '<=', now.toISOString())
      .where('material', '=', 1)
      .orderBy('effective_at', 'desc')
      .orderBy('version', 'desc')
      .executeTakeFirst();
  }
}
