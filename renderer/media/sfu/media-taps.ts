import { type AppDeps, type AppState, type LiveConnection } from '../../app/store-types';
import { type MediaFrame } from './signaling';

const MEDIA_FRAME_TYPES = [
  'media.joined',
  'media.transport.created',
  'media.transport.connected',
  'media.produced',
  'media.consumer',
  'media.consumer.closed',
  'media.room.closed',
] as const satisfies readonly MediaFrame['type'][];

/**
 * SFU signaling follows the connection without the connection code knowing: every media.* frame
 * and every error frame of the live connection reach the store's one media signaling, where
 * requests await their replies by ref. Wraps the injected side effects once, in createAppStore.
 */
export function withMediaSignalingTaps(deps: AppDeps, get: () => AppState): AppDeps {
  let current: LiveConnection | null = null;
  return {
    ...deps,
    createConnection(options) {
      const c = deps.createConnection(options);
      current = c;
      // Frames of a connection already replaced are stale.
      for (const type of MEDIA_FRAME_TYPES)
        c.on(type, (m: MediaFrame) => {
          if (current === c) get().applyMediaFrame(m);
        });
      c.on('server-error', (m) => {
        if (current === c) get().applyMediaError(m);
      });
      return c;
    },
  };
}
