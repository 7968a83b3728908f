import type { Queue } from '../../../shared/domain/interactions';
import type { Db } from '../../db/database';

export interface QueueDefinition {
  id: string;
  name: string;
  offerTimeoutMs: number;
  dispositions: string[];
  memberIds: string[];
}

/** Queues and their members. Few rows, read at start-up and on every widget or history request. */
export class QueuesRepo {
  constructor(private readonly db: Db) {}

  async list(): Promise<Queue[]> {
    const [queues, members] = await Promise.all([
      this.db.kysely.selectFrom('queues').selectAll().orderBy('name').execute(),
      this.db.kysely.selectFrom('queue_members').selectAll().orderBy('user_id').execute(),
    ]);
    return queues.map((q) => ({
      id: q.id,
      name: q.name,
      offerTimeoutMs: Number(q.offer_timeout_ms),
      dispositions: parseDispositions(q.dispositions),
      memberIds: members.filter((m) => m.queue_id === q.id).map((m) => m.user_id),
      chatCapacity: q.chat_capacity === null || q.chat_capacity === undefined ? null : Number(q.chat_capacity),
    }));
  }

  /** Creates the queue or brings an existing one (same id) to this definition; members are added, never removed. */
  async upsert(def: QueueDefinition): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      // Upserts, so two processes writing the same queue at once (PostgreSQL) both succeed.
      const row = { name: def.name, offer_timeout_ms: def.offerTimeoutMs, dispositions: JSON.stringify(def.dispositions) };
      await trx
        .insertInto('queues')
        .values({ id: def.id, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
      const current = new Set((await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', def.id).execute()).map((m) => m.user_id));
      const missing = def.memberIds.filter((id) => !current.has(id));
      if (missing.length > 0) {
        await trx
          .insertInto('queue_members')
          .values(missing.map((user_id) => ({ queue_id: def.id, user_id })))
          .onConflict((oc) => oc.columns(['queue_id', 'user_id']).doNothing())
          .execute();
      }
    });
  }
}

function parseDispositions(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
