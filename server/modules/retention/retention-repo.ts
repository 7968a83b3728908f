import { RetentionPolicy } from '../../../shared/api/retention';
import type { Db } from '../../db/database';
import type { AuditTransaction } from '../audit/audit-log';

/** The retention policy's one row (the policy as JSON). */
export class RetentionRepo {
  constructor(private readonly db: Db) {}

  /** The stored policy, or null when none is stored or it no longer validates (edited by hand). */
  async read(): Promise<RetentionPolicy | null> {
    const row = await this.db.kysely.selectFrom('retention_policy').select('policy').where('singleton', '=', 1).executeTakeFirst();
    if (!row) return null;
    let json: unknown;
    try {
      json = JSON.parse(row.policy);
    } catch {
      return null;
    }
    const parsed = RetentionPolicy.safeParse(json);
    return parsed.success ? parsed.data : null;
  }

  /** Stores the policy; `alongside` (its audit entry) runs in the same transaction. */
  async write(policy: RetentionPolicy, at: Date, by: string, alongside?: (trx: AuditTransaction) => Promise<unknown>): Promise<void> {
    const values = { policy: JSON.stringify(policy), updated_at: at.toISOString(), updated_by: by };
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('retention_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await alongside?.(trx);
    });
  }

  /** Replies to pushed changes older than the cutoff (sync_mutations: they can hold a note's text). */
  async deleteMutationsBefore(cutoff: Date): Promise<number> {
    const result = await this.db.kysely.deleteFrom('sync_mutations').where('at', '<', cutoff.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
