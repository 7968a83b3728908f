import type { Readable } from 'node:stream';
import type { RecordingAssembly } from '../../../../shared/api/recordings';

/** The chunks of one segment (one MediaRecorder run, its own WebM stream), in seq order. */
export interface SegmentChunks {
  segment: number;
  seqs: readonly number[];
}

export interface AssemblyResult {
  /** The audio's size as played (sealed files are larger on disk). */
  bytes: number;
  assembly: Exclude<RecordingAssembly, 'pending'>;
  /** Why the file is not one clean stream (segments not joined, or left out), for the metadata. */
  note: string | null;
}

/** A recording's assembled audio, readable by byte range (playback seeks). */
export interface StoredAudio {
  /** Bytes of audio as played. */
  size: number;
  /** Bytes start..end (inclusive; default the whole file), checked as they are read: a failed check ends the stream with an error. */
  stream(start?: number, end?: number): Readable;
  /** Reads start..end without handing anything on; throws a DomainError (`damaged`) when any of it fails its check. */
  verify(start: number, end: number): Promise<void>;
}

/**
 * Where recording bytes live. The disk implementation is the default (sealed at rest when a key
 * is configured); an S3-compatible store can implement the same interface later (chunks as
 * objects, assembly in a work directory).
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
  openAudio(recordingId: string): Promise<StoredAudio | null>;
  /** Removes every byte of the recording (chunks, work files, the assembled file); nothing there is fine. */
  remove(recordingId: string): Promise<void>;
}
