import type { Readable } from 'node:stream';

/**
 * Where recording bytes live. The disk implementation is the default; an S3-compatible store can
 * implement the same interface later (chunks as objects, assembly as a multipart copy).
 */
export interface RecordingStorage {
  /** Stores one chunk; writing the same (recording, seq) again replaces it with the same bytes. */
  putChunk(recordingId: string, seq: number, data: Buffer): Promise<void>;
  /** Concatenates the given chunks, in the order given, into the recording's file; returns its size. */
  assemble(recordingId: string, seqs: readonly number[]): Promise<number>;
  /** The assembled file, or null when there is none yet. */
  openAudio(recordingId: string): Promise<{ stream: Readable; size: number } | null>;
}
