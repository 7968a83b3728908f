import type { Db } from '../../db/database';
import type { RecordingPausesTable } from '../../db/schema';

export type PauseRow = Omit<RecordingPausesTable, 'id'> & { id: number };

/** Who paused or resumed (the agent), as stored and audited. */
export interface PauseActor {
  id: string;
  username: string;
}

/** Where the pause intervals of each call are kept; the service is tested against a fake of this. */
export interface PauseIntervalStore {
  open(interactionId: string, at: Date, actor: PauseActor): Promise<void>;
  /** Ends the call's open interval, if any; `by` is the username who resumed, or `system`. */
  close(interactionId: string, at: Date, by: string): Promise<void>;
  /** Every interval of the call, oldest first. */
  of(interactionId: string): Promise<PauseRow[]>;
  openOf(interactionId: string): Promise<PauseRow | undefined>;
  /** The intervals `actorId` opened, on any interaction, that overlap `from`..`to` (null: still going), oldest first. */
  byActorWithin(actorId: string, from: string, to: string | null): Promise<PauseRow[]>;
}

/**
 * The pause intervals in SQL. The table keeps its first name, `recording_pauses` (migration 003),
 * although a pause now protects more than the recording: renaming it would need a migration that
 * copies every stored interval, and nothing in a row is recording-specific. Rows belong to the
 * interaction, not to a recording, so the pause of an unrecorded call that is monitored is stored
 * here too (its audit entry says `recordingId: null`), and a pause carried over a transfer is one row.
 */
export class SqlPauseIntervals implements PauseIntervalStore {
  constructor(private readonly db: Db) {}

  private get k() {
    return this.db.kysely;
  }

  async open(interactionId: string, at: Date, actor: PauseActor): Promise<void> {
    await this.k.insertInto('recording_pauses').values({ interaction_id: interactionId, started_at: at.toISOString(), ended_at: null, actor_id: actor.id, actor_name: actor.username, ended_by: null }).execute();
  }

  async close(interactionId: string, at: Date, by: string): Promise<void> {
    await this.k.updateTable('recording_pauses').set({ ended_at: at.toISOString(), ended_by: by }).where('interaction_id', '=', interactionId).where('ended_at', 'is', null).execute();
  }

  of(interactionId: string): Promise<PauseRow[]> {
    return this.k.selectFrom('recording_pauses').selectAll().where('interaction_id', '=', interactionId).orderBy('id').execute() as Promise<PauseRow[]>;
  }

  openOf(interactionId: string): Promise<PauseRow | undefined> {
    return this.k.selectFrom('recording_pauses').selectAll().where('interaction_id', '=', interactionId).where('ended_at', 'is', null).executeTakeFirst() as Promise<PauseRow | undefined>;
  }

  byActorWithin(actorId: string, from: string, to: string | null): Promise<PauseRow[]> {
    // Timestamps are ISO strings in UTC on both databases: they compare as text.
    let q = this.k
      .selectFrom('recording_pauses')
      .selectAll()
      .where('actor_id', '=', actorId)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]));
    if (to !== null) q = q.where('started_at', '<=', to);
    return q.orderBy('started_at').orderBy('id').execute() as Promise<PauseRow[]>;
  }
}
