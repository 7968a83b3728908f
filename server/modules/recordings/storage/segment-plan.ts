import type { SegmentChunks } from './recording-storage';

/** Which segments an assembly can use: the same rule for every store. */
export interface SegmentPlan {
  /** Segments with at least one chunk. */
  present: readonly SegmentChunks[];
  /** Segments whose first chunk (the WebM header) arrived: the ones that can be joined. */
  usable: readonly SegmentChunks[];
  /** For the metadata: which segments were left out of a join and why; null when none. */
  leftOut: string | null;
}

export function planSegments(segments: readonly SegmentChunks[]): SegmentPlan {
  const present = segments.filter((s) => s.seqs.length > 0);
  // A segment's first chunk carries its WebM header; without it the rest cannot be decoded.
  const headless = present.filter((s) => s.seqs[0] !== 0);
  const usable = present.filter((s) => s.seqs[0] === 0);
  const leftOut = headless.length > 0 ? `segment(s) ${headless.map((s) => s.segment).join(', ')} left out: the first chunk (the WebM header) never arrived` : null;
  return { present, usable, leftOut };
}

/** A chunk's name inside its recording: segment 0 keeps the name it had before segments. */
export function chunkName(segment: number, seq: number): string {
  const name = String(seq).padStart(7, '0');
  return segment === 0 ? name : `${segment}-${name}`;
}

/** Recording ids are server-made UUIDs; anything else never reaches a file name or an object key. */
export const SAFE_RECORDING_ID = /^[A-Za-z0-9-]{1,64}$/;

export function checkRecordingId(id: string): string {
  if (!SAFE_RECORDING_ID.test(id)) throw new Error(`recordings: unsafe recording id ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}
