import type { RecordingRow } from './recordings-repo';

/** Why a chunk for a closed recording is refused. */
export type LateChunkReason = 'grace_over' | 'segment_not_announced' | 'beyond_last_seq';

export interface LateChunkRules {
  /** After the server closed a recording, how long chunks still waiting in the agent's app are taken. */
  graceMs: number;
}

/**
 * Whether a chunk not stored yet may join a recording that is closed (the "late" chunk: it waited
 * in the agent's app while offline, or was in flight at hang-up). Only within the grace window
 * after the close; and once the agent's app announced each segment's last seq, only chunks of
 * those segments up to those seqs. Null: take it (it is audited as arriving after the close).
 */
export function lateChunkRefusal(
  row: Pick<RecordingRow, 'closed_at' | 'ended_at' | 'announced_at'>,
  announced: readonly { segment: number; last_seq: number }[],
  chunk: { segment: number; seq: number },
  now: Date,
  rules: LateChunkRules,
): { reason: LateChunkReason; message: string } | null {
  // Rows closed before closed_at existed: their end stands in (their window is long over).
  const closedAt = Date.parse(row.closed_at ?? row.ended_at ?? '');
  if (!Number.isFinite(closedAt) || now.getTime() - closedAt > rules.graceMs) {
    return {
      reason: 'grace_over',
      message: `This recording closed more than ${Math.round(rules.graceMs / 1000)} s ago (VEILDESK_RECORDING_GRACE_S); chunks are taken only within that window after the close. The chunk was not stored and the refusal is audited.`,
    };
  }
  if (row.announced_at === null) return null;
  const last = announced.find((a) => a.segment === chunk.segment)?.last_seq;
  if (last === undefined) {
    return {
      reason: 'segment_not_announced',
      message: `Segment ${chunk.segment} was not among the segments the app announced when it closed this recording; nothing can be added to it. The chunk was not stored and the refusal is audited.`,
    };
  }
  if (chunk.seq > last) {
    return {
      reason: 'beyond_last_seq',
      message: `The app announced seq ${last} as the last of segment ${chunk.segment} when it closed this recording; chunk ${chunk.seq} comes after it and was not stored. The refusal is audited.`,
    };
  }
  return null;
}
