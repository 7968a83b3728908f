import { type Recording, RecordingsResponse, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the player: the recordings of an interaction, and one recording's audio as a Blob. */

export async function fetchRecordings(serverUrl: string, token: string, interactionId: string, fetchImpl: typeof fetch = fetch): Promise<Recording[]> {
  const answer = await screenHttpClient(serverUrl, fetchImpl).call(routes.recordings, {
    token,
    query: { interactionId },
    check: RecordingsResponse,
    unreadable: 'The server sent recordings this app cannot read; update the app.',
  });
  return answer.recordings;
}

/** The audio (audited on the server as played, or as downloaded with `download`). */
export async function fetchRecordingAudio(serverUrl: string, token: string, recordingId: string, download = false, fetchImpl: typeof fetch = fetch): Promise<Blob> {
  const answer = await screenHttpClient(serverUrl, fetchImpl).open(routes.recordingAudio, { token, params: { id: recordingId }, query: download ? { download: '1' } : {} });
  return answer.blob();
}

/** Where each pause sits on a bar spanning the recording's wall-clock time (fractions 0..1). */
export function pauseMarks(rec: Pick<Recording, 'startedAt' | 'endedAt' | 'pauses'>): { left: number; width: number; startedAt: string; endedAt: string | null }[] {
  const start = Date.parse(rec.startedAt);
  const end = rec.endedAt ? Date.parse(rec.endedAt) : Math.max(start + 1, ...rec.pauses.map((p) => Date.parse(p.endedAt ?? p.startedAt)));
  const span = Math.max(1, end - start);
  return rec.pauses.map((p) => {
    const s = Math.max(0, Date.parse(p.startedAt) - start);
    const e = Math.min(span, (p.endedAt ? Date.parse(p.endedAt) : end) - start);
    return { left: s / span, width: Math.max(0, e - s) / span, startedAt: p.startedAt, endedAt: p.endedAt };
  });
}

type Timed = Pick<Recording, 'startedAt' | 'endedAt' | 'pauses'> & { mediaOffsetMs?: number | null };

/** The pauses after the file's media began, as ms after the recording's start (an open one runs to `end`). */
function pausesInMedia(rec: Timed, end: number): { s: number; e: number }[] {
  const start = Date.parse(rec.startedAt);
  const offset = rec.mediaOffsetMs ?? 0;
  return rec.pauses
    .map((p) => ({ s: Math.max(offset, Date.parse(p.startedAt) - start), e: (p.endedAt ? Date.parse(p.endedAt) : end) - start }))
    .filter((p) => p.e > p.s)
    .sort((a, b) => a.s - b.s);
}

/**
 * Wall-clock ms after the recording's start for a position in its file: the media begins
 * `mediaOffsetMs` in (a screen recording when the agent granted the capture) and skips each pause
 * after that.
 */
export function wallAt(rec: Timed, mediaMs: number): number {
  const start = Date.parse(rec.startedAt);
  const end = rec.endedAt ? Date.parse(rec.endedAt) : Infinity;
  let wall = (rec.mediaOffsetMs ?? 0) + mediaMs;
  for (const p of pausesInMedia(rec, end)) if (p.s < wall) wall += Math.min(p.e, end - start) - p.s;
  return wall;
}

/** The position in the file for a wall-clock time (ms after the recording's start); negative before its media begins, a pause's start inside one. */
export function mediaAt(rec: Timed, wallMs: number): number {
  const offset = rec.mediaOffsetMs ?? 0;
  if (wallMs < offset) return wallMs - offset;
  let media = wallMs - offset;
  for (const p of pausesInMedia(rec, Infinity)) if (p.s < wallMs) media -= Math.min(p.e, wallMs) - p.s;
  return media;
}

/**
 * Where the screen's file should be for a position in the audio's: both through the one wall clock,
 * each with its own start (the screen's can be later) and the same pauses. Negative: the screen
 * recording has not begun yet at that point of the call.
 */
export function screenTimeFor(audio: Timed, screen: Timed, audioMs: number): number {
  const wall = Date.parse(audio.startedAt) + wallAt(audio, audioMs);
  return mediaAt(screen, wall - Date.parse(screen.startedAt));
}

/** The wall-clock fraction of the bar for a playback position (the file starts at its media offset and skips the pauses). */
export function playheadFraction(rec: Timed, playedMs: number): number {
  const start = Date.parse(rec.startedAt);
  const end = rec.endedAt ? Date.parse(rec.endedAt) : start + wallAt(rec, playedMs);
  return Math.min(1, Math.max(0, wallAt(rec, playedMs) / Math.max(1, end - start)));
}
