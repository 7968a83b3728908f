import { type ClientMessage } from '../../../shared';
import { type AppDeps, type AppState } from '../../app/store-types';
import { type SfuSessions } from '../../media/sfu/sfu-share';
import { type ShareMedia, browserShareMedia, loadMediasoupSessions } from './share-media';
import { type ShareTransportMode } from './share-types';

type ShareRequest = Extract<ClientMessage, { type: `share.${string}` }>;
type SetState = (partial: Partial<AppState> | ((s: AppState) => Partial<AppState>)) => void;

/** What the sharer's and the viewer's sides of the share slice both use. */
export interface ShareContext {
  deps: AppDeps;
  set: SetState;
  get(): AppState;
  media: ShareMedia;
  send(message: ShareRequest): boolean;
  /** Request ids (share-<what>-<n>): error frames that answer them are recognised by the prefix. */
  nextId(what: string): string;
  /** The server's share transport, from /api/config (asked once per sign-in). */
  transportMode(): Promise<ShareTransportMode>;
  /** Forgets the transport mode (sign-out: the next server may differ). */
  forgetTransportMode(): void;
  loadSfuSessions(): Promise<SfuSessions>;
  /** A media problem of the SFU transport, shown as a notice. */
  mediaProblem(message: string): void;
}

export function createShareContext(deps: AppDeps, set: SetState, get: () => AppState): ShareContext {
  const media: ShareMedia = deps.shareMedia ?? browserShareMedia();
  let seq = 0;
  let transportMode: Promise<ShareTransportMode> | null = null;
  return {
    deps,
    set,
    get,
    media,
    send: (message) => get().sendMessage(message),
    nextId: (what) => `share-${what}-${++seq}`,
    transportMode() {
      if (!transportMode) {
        transportMode = deps
          .createApi(get().auth.serverUrl)
          .config()
          .then((config) => config.shareTransport ?? 'p2p')
          .catch(() => {
            transportMode = null;
            return 'p2p' as const;
          });
      }
      return transportMode;
    },
    forgetTransportMode() {
      transportMode = null;
    },
    loadSfuSessions: () => (media.loadSfuSessions ?? loadMediasoupSessions)(),
    mediaProblem: (message) => get().pushNotice(message, 'error'),
  };
}
