import { type AppState, type LiveConnection } from '../../app/store-types';

type Live = <T>(fn: (payload: T) => void) => (payload: T) => void;

/** Hands each screen-share frame from the live connection to the share slice (media.* frames: media/sfu/media-taps.ts). */
export function routeShareFrames(c: LiveConnection, live: Live, get: () => AppState): void {
  c.on('share.state', live((m) => get().applyShareState(m)));
  c.on('shares.available', live((m) => get().applySharesAvailable(m)));
  c.on('share.viewer.joined', live((m) => get().applyShareViewerJoined(m)));
  c.on('share.viewer.left', live((m) => get().applyShareViewerLeft(m)));
  c.on('share.watching', live((m) => get().applyShareWatching(m)));
  c.on('share.ended', live((m) => get().applyShareEnded(m)));
  c.on('share.signal', live((m) => get().applyShareSignal(m)));
  c.on('share.candidates', live((m) => get().applyShareCandidates(m)));
  // Refusals of share requests roll the share state back; the message itself shows as a notice.
  c.on('server-error', live((m) => void get().applyShareError(m)));
}
