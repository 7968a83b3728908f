import type { SyncQueue, SyncSettings, SyncSetting } from '../../../shared/api/sync';
import type { Db } from '../../db/database';
import type { ChangeLog } from './change-log';

/** Days the apps keep local data until an admin sets the org's own. */
export const DEFAULT_LOCAL_RETENTION_DAYS = 30;

/**
 * Queues and settings enter the change log when they differ from what was last published.
 * Queues: at start-up (they are read then). Settings: once with defaults, then when an admin
 * changes them. Every staff member receives them.
 */
export async function publishOrgEntities(db: Db, log: ChangeLog, entities: { queues?: readonly SyncQueue[]; settings?: readonly SyncSetting[] }): Promise<number> {
  const items = [
    ...(entities.queues ?? []).map((q) => ({ kind: 'queue' as const, id: q.id, data: JSON.stringify(q) })),
    ...(entities.settings ?? []).map((s) => ({ kind: 'setting' as const, id: s.key, data: JSON.stringify(s) })),
  ];
  let published = 0;
  await db.kysely.transaction().execute(async (trx) => {
    const now = new Date();
    for (const item of items) {
      const stored = await trx.selectFrom('sync_org_entities').select('data').where('kind', '=', item.kind).where('id', '=', item.id).executeTakeFirst();
      if (stored?.data === item.data) continue;
      if (stored) await trx.updateTable('sync_org_entities').set({ data: item.data }).where('kind', '=', item.kind).where('id', '=', item.id).execute();
      else await trx.insertInto('sync_org_entities').values(item).execute();
      await log.record(trx, [{ kind: item.kind, entityId: item.id, interactionId: null, op: 'upsert' }], now);
      published += 1;
    }
  });
  return published;
}

/** The org's sync settings as published (defaults before an admin set them). */
export async function readSyncSettings(db: Db): Promise<SyncSettings> {
  const row = await db.kysely.selectFrom('sync_org_entities').select('data').where('kind', '=', 'setting').where('id', '=', 'retentionDays').executeTakeFirst();
  const stored = row ? (JSON.parse(row.data) as SyncSetting) : null;
  return { retentionDays: stored?.value ?? DEFAULT_LOCAL_RETENTION_DAYS };
}

export function settingsEntities(settings: SyncSettings): SyncSetting[] {
  return [{ key: 'retentionDays', value: settings.retentionDays }];
}
