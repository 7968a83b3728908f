import { originOf } from '../app-origin';
import { type Logger, silentLogger } from '../log';
import type { CapturerLike, CapturerSourceLike } from './sources';

/** A pick is good for one getDisplayMedia call within this time. */
export const SELECTION_TTL_MS = 60_000;

export interface Selection {
  sourceId: string;
  at: number;
}

/** The source the user picked in the app, handed to the next display-media request only. */
export class CaptureSelection {
  private current: Selection | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  select(sourceId: string): void {
    this.current = { sourceId, at: this.now() };
  }

  /** Takes the pick (one use); null when there is none. */
  take(): Selection | null {
    const pick = this.current;
    this.current = null;
    return pick;
  }
}

export interface DisplayMediaQuery {
  /** Origin of the page asking (request.securityOrigin, else the frame's URL). */
  origin: string | null | undefined;
  /** Whether the request comes from a main frame (a subframe never gets the screen). */
  isMainFrame: boolean;
  videoRequested: boolean;
  appOrigin: string;
  selection: Selection | null;
  /** Ids of the sources that exist now. */
  available: readonly string[];
  now: number;
}

export type DisplayMediaDecision = { grant: true; sourceId: string } | { grant: false; reason: string };

/**
 * Grants exactly the source the user picked in the app, video only, to the app's own main frame,
 * once, shortly after the pick. Everything else is refused: other origins, subframes, requests
 * without a pick, stale picks, sources that went away. Audio is never granted.
 */
export function decideDisplayMedia(q: DisplayMediaQuery): DisplayMediaDecision {
  if (originOf(q.origin) !== q.appOrigin) return { grant: false, reason: 'request is not from the app' };
  if (!q.isMainFrame) return { grant: false, reason: 'request is from a subframe' };
  if (!q.videoRequested) return { grant: false, reason: 'no video requested' };
  if (!q.selection) return { grant: false, reason: 'no source was picked in the app' };
  if (q.now - q.selection.at > SELECTION_TTL_MS) return { grant: false, reason: 'the pick is too old' };
  if (!q.available.includes(q.selection.sourceId)) return { grant: false, reason: 'the picked source is gone' };
  return { grant: true, sourceId: q.selection.sourceId };
}

/** The parts of Electron's request and session this module uses. */
export interface DisplayMediaRequestLike {
  securityOrigin?: string;
  frame: { url: string; parent: unknown } | null;
  videoRequested: boolean;
  audioRequested: boolean;
}

export interface DisplayMediaSession {
  setDisplayMediaRequestHandler(
    handler: (request: DisplayMediaRequestLike, callback: (streams: { video: CapturerSourceLike } | null) => void) => void,
    opts?: { useSystemPicker?: boolean },
  ): void;
}

export function installDisplayMediaHandler(
  session: DisplayMediaSession,
  deps: { capturer: CapturerLike; selection: CaptureSelection; appOrigin: string; now?: () => number; log?: Logger },
): void {
  const log = deps.log ?? silentLogger;
  session.setDisplayMediaRequestHandler(
    (request, callback) => {
      // Take the pick first, so a request that fails still uses it up.
      const selection = deps.selection.take();
      deps.capturer
        .getSources({ types: ['screen', 'window'], thumbnailSize: { width: 0, height: 0 }, fetchWindowIcons: false })
        .then((sources) => {
          const decision = decideDisplayMedia({
            origin: request.securityOrigin ?? request.frame?.url,
            isMainFrame: request.frame ? request.frame.parent === null : false,
            videoRequested: request.videoRequested,
            appOrigin: deps.appOrigin,
            selection,
            available: sources.map((s) => s.id),
            now: (deps.now ?? Date.now)(),
          });
          if (!decision.grant) {
            log.warn('display capture refused', { reason: decision.reason });
            callback(null);
            return;
          }
          const source = sources.find((s) => s.id === decision.sourceId)!;
          // Video only: no `audio` key, whatever the page asked for.
          callback({ video: source });
        })
        .catch((error: unknown) => {
          log.error('display capture failed', { error: String(error) });
          callback(null);
        });
    },
    { useSystemPicker: false },
  );
}
