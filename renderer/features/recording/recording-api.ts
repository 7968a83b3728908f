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

/** The wall-clock fraction of the bar for a playback position (the file skips the pauses). */
export function playheadFraction(rec: Pick<Recording, 'startedAt' | 'endedAt' | 'pauses'>, playedMs: number): number {
  const start = Date.parse(rec.startedAt);
  const end = rec.endedAt ? Date.parse(rec.endedAt) : start + playedMs;
  let wall = playedMs;
  for (const p of rec.pauses) {
    const ps = Date.parse(p.startedAt) - start;
    const pe = (p.endedAt ? Date.parse(p.endedAt) : end) - start;
    if (ps <= wall) wall += pe - ps;
  }
  return Math.min(1, Math.max(0, wall / Math.max(1, end - start)));
}
