import { type AppState, type SliceCreator } from '../../app/store-types';
import { createShareContext } from './share-context';
import { type ShareSlice, initialSharer } from './share-types';
import { createSharer } from './sharer';
import { createWatcher } from './watcher';

export type { ShareSlice, ShareStage, ShareTransportMode, SharerState, WatchStatus, WatchingState } from './share-types';
export { endedMessage } from './share-types';

/**
 * Screen sharing: the sharer's side (sharer.ts) and the viewer's side (watcher.ts) over one
 * context (share-context.ts). Their SFU signaling is the store's one (media/sfu/media-signaling-slice.ts).
 */
export const createShareSlice: SliceCreator<ShareSlice> = (deps) => (set, get, store) => {
  const ctx = createShareContext(deps, set, get);
  const sharer = createSharer(ctx);
  const watcher = createWatcher(ctx);

  // Sign-out, or a session the server ended: nothing of a share may outlive it.
  store.subscribe((state, prev) => {
    if (prev.auth.status === 'signed-in' && state.auth.status !== 'signed-in') get().resetShares();
  });

  return {
    share: initialSharer,
    availableShares: [],
    watching: null,
    ...sharer.actions,
    ...watcher.actions,

    applyShareSignal(frame) {
      if (!sharer.signal(frame)) watcher.signal(frame);
    },

    applyShareError(frame) {
      const ref = frame.ref ?? '';
      if (sharer.refused(ref) || watcher.refused(ref)) return true;
      return ref.startsWith('share-') || ref.startsWith('share.');
    },

    resetShares() {
      sharer.reset();
      watcher.reset();
      ctx.forgetTransportMode();
      set({ availableShares: [], watching: null, share: initialSharer });
    },
  };
};

// ---- selectors ----

export const selectSharer = (s: AppState) => s.share;
export const selectAvailableShares = (s: AppState) => s.availableShares;
export const selectWatching = (s: AppState) => s.watching;
