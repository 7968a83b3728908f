import type { Readable } from 'node:stream';
import type { RecordingAssembly } from '../../../../shared/api/recordings';

/** The chunks of one segment (one MediaRecorder run, its own WebM stream), in seq order. */
export interface SegmentChunks {
  segment: number;
  seqs: readonly number[];
}

export interface AssemblyResult {
  bytes: number;
  assembly: Exclude<RecordingAssembly, 'pending'>;
  /** Why the file is not one clean stream (segments not joined, or left out), for the metadata. */
  note: string | null;
}

/**
 * Where recording bytes live. The disk implementation is the default; an S3-compatible store can
 * implement the same interface later (chunks as objects, assembly in a work directory).
 */
export interface RecordingStorage {
  /** Stores one chunk; writing the same (recording, segment, seq) again replaces it with the same bytes. */
  putChunk(recordingId: string, segment: number, seq: number, data: Buffer): Promise<void>;
  /**
   * Makes the recording's one file: one segment is its chunks concatenated; several are joined
   * into one WebM stream (timestamps continued), or, when that is impossible, put back to back.
   */
  assemble(recordingId: string, segments: readonly SegmentChunks[]): Promise<AssemblyResult>;
  /** The assembled file, or null when there is none yet. */
  openAudio(recordingId: string): Promise<{ stream: Readable; size: number } | null>;
  /** Removes every byte of the recording (chunks, work files, the assembled file); nothing there is fine. */
  remove(recordingId: string): Promise<void>;
}
