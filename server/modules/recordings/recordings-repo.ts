import type { RecordingPolicy } from '../../../shared/api/recordings';
import type { Db } from '../../db/database';
import type { RecordingsTable } from '../../db/schema';
import type { AuditTransaction } from '../audit/audit-log';

export type RecordingRow = RecordingsTable;
export interface ChunkRow {
  segment: number;
  seq: number;
  bytes: number;
  received_at: string;
}

/** Table access for recordings, their chunks and the org's policy (pause intervals: secure-pause/pause-intervals.ts). */
export class RecordingsRepo {
  constructor(private readonly db: Db) {}

  private get k() {
    return this.db.kysely;
  }

  // ---- policy

  async policy(): Promise<Partial<RecordingPolicy> | null> {
    const row = await this.k.selectFrom('recording_policy').selectAll().where('singleton', '=', 1).executeTakeFirst();
    if (!row) return null;
    return { recordCalls: row.record_calls === 1, agentsMayPlayOwn: row.agents_may_play_own === 1, reminderAfterSeconds: row.reminder_after_seconds };
  }

  /** Stores the policy; `alongside` (its audit entry) runs in the same transaction. */
  async setPolicy(policy: RecordingPolicy, at: Date, by: string, alongside?: (trx: AuditTransaction) => Promise<unknown>): Promise<void> {
    const values = {
      record_calls: policy.recordCalls ? 1 : 0,
      agents_may_play_own: policy.agentsMayPlayOwn ? 1 : 0,
      reminder_after_seconds: policy.reminderAfterSeconds,
      updated_at: at.toISOString(),
      updated_by: by,
    };
    await this.k.transaction().execute(async (trx) => {
      await trx
        .insertInto('recording_policy')
        .values({ singleton: 1, ...values })
        .onConflict((oc) => oc.column('singleton').doUpdateSet(values))
        .execute();
      await alongside?.(trx);
    });
  }

  // ---- recordings

  async insert(row: RecordingRow): Promise<void> {
    await this.k.insertInto('recordings').values(row).execute();
  }

  get(id: string): Promise<RecordingRow | undefined> {
    return this.k.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  forInteraction(interactionId: string): Promise<RecordingRow[]> {
    return this.k.selectFrom('recordings').selectAll().where('interaction_id', '=', interactionId).orderBy('started_at').orderBy('id').execute();
  }

  /** Recordings a previous process left open (nothing is recording when a server starts). */
  open(): Promise<RecordingRow[]> {
    return this.k.selectFrom('recordings').selectAll().where('status', '=', 'recording').execute();
  }

  async update(id: string, values: Partial<Omit<RecordingRow, 'id'>>): Promise<void> {
    await this.k.updateTable('recordings').set(values).where('id', '=', id).execute();
  }

  // ---- chunks and segments

  /** Records a stored chunk; false when this (recording, segment, seq) was stored before. */
  async addChunk(recordingId: string, segment: number, seq: number, bytes: number, at: Date): Promise<boolean> {
    const result = await this.k
      .insertInto('recording_chunks')
      .values({ recording_id: recordingId, segment, seq, bytes, received_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['recording_id', 'segment', 'seq']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  hasChunk(recordingId: string, segment: number, seq: number): Promise<boolean> {
    return this.k
      .selectFrom('recording_chunks')
      .select('seq')
      .where('recording_id', '=', recordingId)
      .where('segment', '=', segment)
      .where('seq', '=', seq)
      .executeTakeFirst()
      .then((r) => r !== undefined);
  }

  /** Bytes of every chunk stored for the recording (the quota counts them). */
  async storedBytes(recordingId: string): Promise<number> {
    const row = await this.k
      .selectFrom('recording_chunks')
      .select((eb) => eb.fn.sum<number | string | bigint>('bytes').as('total'))
      .where('recording_id', '=', recordingId)
      .executeTakeFirst();
    // PostgreSQL's sum of integers is a bigint, handed over as a string.
    return Number(row?.total ?? 0);
  }

  /** Every stored chunk, by segment then seq. */
  chunks(recordingId: string): Promise<ChunkRow[]> {
    return this.k
      .selectFrom('recording_chunks')
      .select(['segment', 'seq', 'bytes', 'received_at'])
      .where('recording_id', '=', recordingId)
      .orderBy('segment')
      .orderBy('seq')
      .execute();
  }

  /** The last seq announced per segment. */
  lastSeqs(recordingId: string): Promise<{ segment: number; last_seq: number }[]> {
    return this.k.selectFrom('recording_segments').select(['segment', 'last_seq']).where('recording_id', '=', recordingId).orderBy('segment').execute();
  }

  /** Keeps the highest last seq announced for a segment. */
  async announceLastSeq(recordingId: string, segment: number, lastSeq: number): Promise<void> {
    const current = await this.k
      .selectFrom('recording_segments')
      .select('last_seq')
      .where('recording_id', '=', recordingId)
      .where('segment', '=', segment)
      .executeTakeFirst();
    if (!current) await this.k.insertInto('recording_segments').values({ recording_id: recordingId, segment, last_seq: lastSeq }).execute();
    else if (lastSeq > current.last_seq) {
      await this.k.updateTable('recording_segments').set({ last_seq: lastSeq }).where('recording_id', '=', recordingId).where('segment', '=', segment).execute();
    }
  }

  /** Deletes a recording's rows (chunks, segments, the recording) in one transaction. */
  async remove(recordingId: string): Promise<void> {
    await this.k.transaction().execute(async (trx) => {
      await trx.deleteFrom('recording_chunks').where('recording_id', '=', recordingId).execute();
      await trx.deleteFrom('recording_segments').where('recording_id', '=', recordingId).execute();
      await trx.deleteFrom('recordings').where('id', '=', recordingId).execute();
    });
  }

  /** Closed recordings whose segments could not be joined yet (a server start tries again). */
  unjoined(): Promise<RecordingRow[]> {
    return this.k.selectFrom('recordings').selectAll().where('status', '=', 'closed').where('assembly', '=', 'unjoined').execute();
  }
}
