import { type CropSettings } from '../../media/share/frame-processor';
import { createSharePipeline, type SharePipeline } from '../../media/share/pipeline';
import { type PeerFactory } from '../../media/share/transport';
import { type SfuSessions } from '../../media/sfu/sfu-share';

/**
 * Everything with side effects screen sharing needs: the capture, the crop/mask pipeline and the
 * WebRTC peers. Injected through AppDeps.shareMedia so the share slice can be tested without a browser.
 */
export interface ShareMedia {
  /** The screen or window to share, video only. In Electron main grants the source picked in the app. */
  capture(): Promise<MediaStream>;
  createPipeline(track: MediaStreamTrack, settings: CropSettings): SharePipeline;
  /** simple-peer, loaded on demand so the main bundle stays small until someone shares or watches. */
  loadPeerFactory(): Promise<PeerFactory>;
  /** Wraps the sent track in a stream for the peers. */
  streamOf(track: MediaStreamTrack): MediaStream;
  /** mediasoup-client sessions for the SFU transport, loaded on demand (default: the real ones). */
  loadSfuSessions?(): Promise<SfuSessions>;
}

/** The real mediasoup-client sessions, in their own chunk. */
export const loadMediasoupSessions = (): Promise<SfuSessions> => import('../../media/sfu/mediasoup-session');

export function browserShareMedia(): ShareMedia {
  return {
    capture: () => {
      const devices = globalThis.navigator?.mediaDevices;
      if (!devices?.getDisplayMedia) return Promise.reject(new Error('This browser cannot share the screen.'));
      return devices.getDisplayMedia({ video: { frameRate: { ideal: 30, max: 30 } }, audio: false });
    },
    createPipeline: (track, settings) => createSharePipeline(track, settings),
    loadPeerFactory: () => import('../../media/share/simple-peer').then((m) => m.createSimplePeer),
    streamOf: (track) => new MediaStream([track]),
    loadSfuSessions: loadMediasoupSessions,
  };
}

/** A sentence for a capture that failed or was refused. */
export function captureErrorMessage(err: unknown): string {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError') return 'Screen sharing was cancelled or not allowed.';
  if (name === 'NotFoundError') return 'There is no screen or window to share.';
  if (name === 'NotReadableError') return 'The screen could not be captured. Another app may be blocking it.';
  return err instanceof Error && err.message ? err.message : 'The screen could not be captured.';
}
