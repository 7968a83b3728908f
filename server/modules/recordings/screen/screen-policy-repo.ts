import { ScreenRecordingPolicy, ScreenViewerRole } from '../../../../shared/api/screen-recordings';
import type { Db } from '../../../db/database';
import type { AuditTransaction } from '../../audit/audit-log';
import { z } from 'zod';

const StoredRoles = z.array(ScreenViewerRole);

/** The org's screen recording policy row (migration 027). */
export class ScreenPolicyRepo {
  constructor(private readonly db: Db) {}

  async get(): Promise<ScreenRecordingPolicy | null> {
    const row = await this.db.kysely.selectFrom('screen_recording_policy').selectAll().where('singleton', '=', 1).executeTakeFirst();
    if (!row) return null;
    // Read back through the same contract it was written with: a row edited by hand that breaks it is not trusted.
    const parsed = ScreenRecordingPolicy.safeParse({
      mode: row.mode,
      samplePercent: row.sample_percent,
      viewerRoles: StoredRoles.safeParse(JSON.parse(row.viewer_roles)).data ?? [],
      fps: row.fps,
    });
    return parsed.success ? parsed.data : null;
  }

  /** Stores the policy; `alongside` (its audit entry) runs in the same transaction. */
  async set(policy: ScreenRecordingPolicy, at: Date, by: string, alongside: (trx: AuditTransaction) => Promise<unknown>): Promise<void> {
    const values = {
      mode: policy.mode,
      sample_percent: policy.samplePercent,
      viewer_roles: JSON.stringify(policy.viewerRoles),
      fps: policy.fps,
      updated_at: at.toISOString(),
      updated_by: by,
    };
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('screen_recording_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await alongside(trx);
    });
  }
}
