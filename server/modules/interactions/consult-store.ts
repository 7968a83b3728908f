import type { Db } from '../../db/database';

/** A consult as the database keeps it while it is in progress (see Consults). */
export interface StoredConsult {
  id: string;
  interactionId: string;
  fromUserId: string;
  toUserId: string;
  state: 'ringing' | 'talking';
  wasHeld: boolean;
  attempt: number;
}

/** How a consult ended: handed over, or ConsultView's reasons. */
export type ConsultOutcome = 'completed' | 'cancelled' | 'declined' | 'call_ended' | 'disconnected';

/**
 * The consults table (migration 033). The routing lease's holder keeps consults in memory and writes
 * each change here, so the node that takes the lease over after the holder died resumes the ones
 * still open (ended_at null). Every write runs inside the interactions service's exclusive changes,
 * except the attempt (a reconnecting app), which only the holder's memory reads while it lives.
 */
export class ConsultStore {
  constructor(private readonly db: Db) {}

  async opened(c: StoredConsult, at: Date): Promise<void> {
    await this.db.kysely
      .insertInto('consults')
      .values({
        id: c.id,
        interaction_id: c.interactionId,
        from_user_id: c.fromUserId,
        to_user_id: c.toUserId,
        state: c.state,
        was_held: c.wasHeld ? 1 : 0,
        attempt: c.attempt,
        started_at: at.toISOString(),
        ended_at: null,
        outcome: null,
      })
      .execute();
  }

  async changed(id: string, change: { state?: StoredConsult['state']; attempt?: number }): Promise<void> {
    await this.db.kysely.updateTable('consults').set(change).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  async ended(id: string, outcome: ConsultOutcome, at: Date): Promise<void> {
    await this.db.kysely.updateTable('consults').set({ ended_at: at.toISOString(), outcome }).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  /** The consults a previous holder left in progress, oldest first. */
  async listOpen(): Promise<StoredConsult[]> {
    const rows = await this.db.kysely.selectFrom('consults').selectAll().where('ended_at', 'is', null).orderBy('started_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      interactionId: r.interaction_id,
      fromUserId: r.from_user_id,
      toUserId: r.to_user_id,
      state: r.state === 'talking' ? 'talking' : 'ringing',
      wasHeld: Number(r.was_held) === 1,
      attempt: Number(r.attempt),
    }));
  }
}
