import { type LocalDb } from './db';
import { deleteInteractionEverywhere } from './apply-changes';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PurgeResult {
  interactions: number;
  rows: number;
  cutoff: string | null;
}

/**
 * Deletes local interactions created before the org's retention window (`retentionDays` from the
 * server), with everything stored about them. Changes still waiting in the outbox are kept: they
 * are the user's unsent work, and they leave as soon as they are pushed. No setting yet: nothing
 * to purge.
 */
export async function purgeExpired(db: LocalDb, now: number = Date.now()): Promise<PurgeResult> {
  const setting = await db.settings.get('retentionDays');
  if (!setting) return { interactions: 0, rows: 0, cutoff: null };
  const cutoff = new Date(now - setting.value * DAY_MS).toISOString();
  return db.transaction('rw', [...db.dataTables, db.meta], async () => {
    const waiting = new Set((await db.outbox.toArray()).map((o) => o.interactionId));
    const expired = await db.interactions.where('createdAt').below(cutoff).primaryKeys();
    let rows = 0;
    let interactions = 0;
    for (const id of expired) {
      if (waiting.has(id)) continue;
      rows += await deleteInteractionEverywhere(db, id);
      interactions += 1;
    }
    await db.meta.put({ key: 'retentionPurge', value: { at: new Date(now).toISOString(), cutoff, interactions } });
    return { interactions, rows, cutoff };
  });
}
