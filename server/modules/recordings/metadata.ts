import { RecordingAssembly, type Recording, type RecordingSegment } from '../../../shared/api/recordings';
import type { RecordingPause } from '../../../shared/api/secure-pause';
import type { PauseRow } from '../secure-pause/pause-intervals';
import type { ChunkRow, RecordingRow } from './recordings-repo';

/**
 * Sequence numbers that never arrived: every number from 0 up to the highest seen or announced
 * (whichever is higher) that is not among the stored ones.
 */
export function missingSeqs(stored: readonly number[], lastSeq: number | null): number[] {
  const have = new Set(stored);
  const top = Math.max(lastSeq ?? -1, ...stored, -1);
  const missing: number[] = [];
  for (let seq = 0; seq <= top; seq += 1) if (!have.has(seq)) missing.push(seq);
  return missing;
}

/**
 * The pause intervals that fall within a recording's span, clipped to it: a pause carried over a
 * transfer starts where the new agent's recording starts. An open pause ends at the recording's
 * end (or stays open while it records).
 */
export function pausesWithin(pauses: readonly PauseRow[], startedAt: string, endedAt: string | null): RecordingPause[] {
  const start = Date.parse(startedAt);
  const end = endedAt === null ? Infinity : Date.parse(endedAt);
  const out: RecordingPause[] = [];
  for (const p of pauses) {
    const pStart = Date.parse(p.started_at);
    const pEnd = p.ended_at === null ? Infinity : Date.parse(p.ended_at);
    if (pEnd < start || pStart > end) continue;
    const s = Math.max(pStart, start);
    const e = Math.min(pEnd, end);
    out.push({ startedAt: new Date(s).toISOString(), endedAt: Number.isFinite(e) ? new Date(e).toISOString() : null, actor: p.actor_name });
  }
  return mergeOverlapping(out);
}

/** Intervals in time order, those that overlap or touch made one (a screen held by two interactions' pauses at once was held once). */
function mergeOverlapping(pauses: RecordingPause[]): RecordingPause[] {
  const endOf = (p: RecordingPause) => (p.endedAt === null ? Infinity : Date.parse(p.endedAt));
  const sorted = [...pauses].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  const out: RecordingPause[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && Date.parse(p.startedAt) <= endOf(last)) {
      if (endOf(p) > endOf(last)) out[out.length - 1] = { ...last, endedAt: p.endedAt };
    } else out.push(p);
  }
  return out;
}

/** Recorded time: the span minus the pauses within it; null while recording. */
export function recordedMs(startedAt: string, endedAt: string | null, pauses: readonly RecordingPause[]): number | null {
  if (endedAt === null) return null;
  const span = Date.parse(endedAt) - Date.parse(startedAt);
  const paused = pauses.reduce((sum, p) => sum + (p.endedAt === null ? 0 : Date.parse(p.endedAt) - Date.parse(p.startedAt)), 0);
  return Math.max(0, Math.round(span - paused));
}

/**
 * Each segment (MediaRecorder run) with its chunks and missing seqs: the segments that have chunks
 * or an announced last seq of 0 or more, in order.
 */
export function segmentsOf(chunks: readonly Pick<ChunkRow, 'segment' | 'seq' | 'bytes'>[], lastSeqs: readonly { segment: number; last_seq: number }[]): RecordingSegment[] {
  const announced = new Map(lastSeqs.map((l) => [l.segment, l.last_seq]));
  const indexes = new Set([...chunks.map((c) => c.segment), ...lastSeqs.filter((l) => l.last_seq >= 0).map((l) => l.segment)]);
  return [...indexes]
    .sort((a, b) => a - b)
    .map((segment) => {
      const own = chunks.filter((c) => c.segment === segment);
      const lastSeq = announced.get(segment) ?? null;
      return {
        segment,
        chunks: own.length,
        bytes: own.reduce((sum, c) => sum + c.bytes, 0),
        lastSeq,
        missingSeqs: missingSeqs(
          own.map((c) => c.seq),
          lastSeq,
        ),
      };
    });
}

export function toRecording(
  row: RecordingRow,
  chunks: readonly Pick<ChunkRow, 'segment' | 'seq' | 'bytes'>[],
  lastSeqs: readonly { segment: number; last_seq: number }[],
  pauseRows: readonly PauseRow[],
): Recording {
  const pauses = pausesWithin(pauseRows, row.started_at, row.ended_at);
  const segments = segmentsOf(chunks, lastSeqs);
  const assembly = RecordingAssembly.safeParse(row.assembly);
  return {
    id: row.id,
    kind: row.kind ?? 'audio',
    interactionId: row.interaction_id,
    agentId: row.agent_id,
    agentName: row.agent_name,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    mimeType: row.mime_type,
    status: row.status,
    chunks: chunks.length,
    bytes: chunks.reduce((sum, c) => sum + c.bytes, 0),
    segments,
    missingChunks: segments.reduce((sum, s) => sum + s.missingSeqs.length, 0),
    assembly: assembly.success ? assembly.data : 'pending',
    assemblyNote: row.assembly_note,
    recovered: row.recovered === 1,
    pauses,
    durationMs: recordedMs(row.started_at, row.ended_at, pauses),
    mediaOffsetMs: row.media_offset_ms ?? null,
  };
}
