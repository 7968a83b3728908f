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

/** What a reseal did: files sealed again with the current key, files that already had it, files that failed their check. */
export interface ResealReport {
  resealed: number;
  current: number;
  failed: { file: string; reason: string }[];
}

/**
 * Where recording bytes live: on disk (disk-storage.ts, the default) or in an S3-compatible bucket
 * (s3-storage.ts, when VEILDESK_S3_BUCKET is set), both sealed at rest when a key is configured.
 * The service decides what is stored and when; a store only keeps, joins, reads and removes bytes.
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
  /**
   * Key rotation's last step (`npm run recordings -- reseal`, server stopped): every file not sealed
   * with the current key is checked and sealed again with it; one that fails its check is reported.
   */
  resealAll(): Promise<ResealReport>;
  /** At start-up: throws what to fix when the store cannot be reached (the bucket of S3). */
  check?(): Promise<void>;
  /** At shutdown, after the last assembly: lets go of connections (the S3 client's sockets). */
  close?(): void;
}
