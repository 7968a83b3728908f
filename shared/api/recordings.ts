import { z } from 'zod';
import { RecordingPause } from './secure-pause';

/**
 * Call recordings. The agent's app records both sides of a connected call and uploads numbered
 * chunks; the server stores them, assembles one file per recording, keeps the pause intervals next
 * to it and decides who may play it. See docs/recordings.md. Secure pause (its WebSocket messages
 * and the recording.state frame) is in secure-pause.ts.
 */

const Id = z.string().min(1).max(64);

/** Largest chunk upload accepted (one MediaRecorder timeslice of opus audio is a few KiB). */
export const MAX_RECORDING_CHUNK_BYTES = 1024 * 1024;
/** Highest chunk sequence number (seq starts at 0 in each segment; one a second is over 11 days). */
export const MAX_RECORDING_SEQ = 1_000_000;
/**
 * Highest segment index. A segment is one MediaRecorder run (its own WebM stream with its own
 * header): the first is 0, and each reload or restart of the agent's app mid-call starts the next.
 */
export const MAX_RECORDING_SEGMENT = 1000;
/** What the agent's app records with; the server stores the chunks as they come. */
export const RECORDING_MIME_TYPE = 'audio/webm;codecs=opus';

// ---- policy (admin) ----

export const RecordingPolicy = z.strictObject({
  /** Connected calls are recorded by the agent's app. */
  recordCalls: z.boolean(),
  /** Agents may play recordings of their own calls (supervisors and admins always may). */
  agentsMayPlayOwn: z.boolean(),
  /** The paused banner reminds the agent after this many seconds; a pause never ends by itself. */
  reminderAfterSeconds: z.number().int().min(5).max(3600),
});
export type RecordingPolicy = z.infer<typeof RecordingPolicy>;

export const DEFAULT_REMINDER_AFTER_SECONDS = 60;

// ---- recordings (HTTP) ----

/** One MediaRecorder run of a recording (see MAX_RECORDING_SEGMENT). */
export const RecordingSegment = z.object({
  segment: z.number().int(),
  /** Chunks stored and their total size. */
  chunks: z.number().int(),
  bytes: z.number().int(),
  /** The last seq the agent's app announced for this segment at close (null when it did not). */
  lastSeq: z.number().int().nullable(),
  /** Sequence numbers of this segment below its highest stored or announced one that never arrived. */
  missingSeqs: z.array(z.number().int()),
});
export type RecordingSegment = z.infer<typeof RecordingSegment>;

/**
 * How the stored file was made: `pending` before the first assembly; `single` one segment, its
 * chunks concatenated; `joined` several segments remuxed into one WebM with ffmpeg; `unjoined`
 * several segments that could not be joined (no ffmpeg on the server, or it failed): the file is
 * the segments back to back and players may stop after the first; `assemblyNote` says why.
 */
export const RecordingAssembly = z.enum(['pending', 'single', 'joined', 'unjoined']);
export type RecordingAssembly = z.infer<typeof RecordingAssembly>;

export const Recording = z.object({
  id: z.string(),
  /** `audio`: the call; `screen`: the agent's screen during it (video/webm, shared/api/screen-recordings.ts). */
  kind: z.enum(['audio', 'screen']).default('audio'),
  interactionId: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  /** When the call connected for this agent (the recording's start on the server). */
  startedAt: z.string(),
  /** When the call ended or was transferred away; null while recording. */
  endedAt: z.string().nullable(),
  mimeType: z.string(),
  status: z.enum(['recording', 'closed']),
  /** Chunks stored and their total size. */
  chunks: z.number().int(),
  bytes: z.number().int(),
  /** Each MediaRecorder run, in order; missing sequence numbers are per segment. */
  segments: z.array(RecordingSegment),
  /** Missing chunks over all segments. */
  missingChunks: z.number().int(),
  assembly: RecordingAssembly,
  assemblyNote: z.string().nullable(),
  /** Closed at a server start because the server that recorded it stopped (crash, kill) mid-call. */
  recovered: z.boolean(),
  /** Secure-pause intervals within this recording, oldest first (clipped to its span). */
  pauses: z.array(RecordingPause),
  /** Recorded time: the span minus the pauses (null while recording). */
  durationMs: z.number().int().nullable(),
  /**
   * Where the file's media starts, in ms after `startedAt` (wall-clock, on the server's clock): the
   * agent's app reports it with the first chunk. A screen recording starts when the agent grants
   * the capture, later than the audio; the player lines both up on it. Null when not reported.
   */
  mediaOffsetMs: z.number().int().nullable().default(null),
});
export type Recording = z.infer<typeof Recording>;

export const RecordingsQuery = z.strictObject({ interactionId: Id });
export const RecordingsResponse = z.object({ recordings: z.array(Recording) });
export type RecordingsResponse = z.infer<typeof RecordingsResponse>;

export const ChunkUploadResponse = z.object({ stored: z.boolean(), segment: z.number().int(), seq: z.number().int() });
export type ChunkUploadResponse = z.infer<typeof ChunkUploadResponse>;

const LastSeq = z.number().int().min(-1).max(MAX_RECORDING_SEQ);

/**
 * POST /api/recordings/:id/close: the app stopped recording. `segments` gives each segment's last
 * seq (-1 for a segment without chunks), so a missing tail shows; `lastSeq` alone is segment 0
 * (apps from before segments).
 */
/** POST /api/recordings/:recordingId/segments/:segment/chunks/:seq (and the route without segments). */
export const RecordingChunkParams = z.strictObject({
  recordingId: Id,
  /** Absent on the route from before segments: segment 0. */
  segment: z.coerce.number().int().min(0).max(MAX_RECORDING_SEGMENT).default(0),
  seq: z.coerce.number().int().min(0).max(MAX_RECORDING_SEQ),
});

/** Longest a chunk's report of its recorder's start may lie back (a chunk queued offline for a day and more reports none). */
export const MAX_STARTED_AGO_MS = 24 * 3600 * 1000;

/**
 * The chunk upload's query: with seq 0 of a segment, how many ms before this upload its
 * MediaRecorder started (the app's own clock differences only, so the server's clock places it).
 */
export const RecordingChunkQuery = z.strictObject({ startedAgoMs: z.coerce.number().int().min(0).max(MAX_STARTED_AGO_MS).optional() });

/** GET /api/recordings/:id/audio?download=1: the bytes as an attachment (audited as a download). */
export const RecordingAudioQuery = z.strictObject({ download: z.enum(['0', '1']).optional() });

export const CloseRecordingRequest = z.strictObject({
  lastSeq: LastSeq.optional(),
  segments: z
    .array(z.strictObject({ segment: z.number().int().min(0).max(MAX_RECORDING_SEGMENT), lastSeq: LastSeq }))
    .max(MAX_RECORDING_SEGMENT + 1)
    .optional(),
});
export type CloseRecordingRequest = z.infer<typeof CloseRecordingRequest>;
