import { type ServerMessageOf } from '../../../shared';
import { type ShareReceiver, type Signal, createP2PShareReceiver } from '../../media/share/transport';
import { createSfuShareReceiver } from '../../media/sfu/sfu-share';
import { type ShareContext } from './share-context';
import { type WatcherActions } from './share-types';

/** The viewer's side, with what the slice routes to it beside its actions. */
export interface Watcher {
  actions: WatcherActions;
  /** A signal from the sharer of the share we watch; false when it is not for us. */
  signal(frame: ServerMessageOf<'share.signal'>): boolean;
  /** An error frame answering the join: the join is undone (true). */
  refused(ref: string): boolean;
  /** Closes the receiver, locally. */
  reset(): void;
}

export function createWatcher(ctx: ShareContext): Watcher {
  const { set, get, media, send, nextId } = ctx;

  let receiver: ShareReceiver | null = null;
  /** Signals for the share being joined that arrived before its receiver existed. */
  let queuedSignals: Signal[] = [];
  let joinRequest: { id: string; shareId: string } | null = null;

  function teardownWatching(): void {
    receiver?.close();
    receiver = null;
    queuedSignals = [];
    joinRequest = null;
  }

  const actions: WatcherActions = {
    joinShare(shareId) {
      const share = get().availableShares.find((s) => s.shareId === shareId);
      if (!share) return;
      if (get().watching && get().watching?.status !== 'ended') get().leaveShare();
      teardownWatching();
      const id = nextId('join');
      joinRequest = { id, shareId };
      set({ watching: { share, status: 'joining', endedReason: null, stream: null, transport: null } });
      if (!send({ type: 'share.join', shareId, id })) {
        joinRequest = null;
        set({ watching: null });
        get().pushNotice('Not connected to the server. Try again when the connection is back.', 'error');
      }
    },

    leaveShare() {
      const w = get().watching;
      if (!w) return;
      if (w.status !== 'ended') send({ type: 'share.leave', shareId: w.share.shareId, id: nextId('leave') });
      teardownWatching();
      set({ watching: null });
    },

    dismissWatching() {
      if (get().watching?.status === 'ended') set({ watching: null });
    },

    applySharesAvailable(frame) {
      set((st) => {
        const w = st.watching;
        const current = w ? frame.shares.find((x) => x.shareId === w.share.shareId) : undefined;
        return { availableShares: frame.shares, ...(w && current ? { watching: { ...w, share: current } } : {}) };
      });
    },

    applyShareWatching(frame) {
      const w = get().watching;
      if (!w || w.share.shareId !== frame.share.shareId || w.status !== 'joining') return;
      joinRequest = null;
      set({ watching: { ...w, share: frame.share, status: 'connecting' } });
      const shareId = frame.share.shareId;
      void Promise.all([ctx.transportMode(), get().getIceServers()])
        .then(async ([mode, iceServers]) => [mode, iceServers, mode === 'p2p' ? await media.loadPeerFactory() : null] as const)
        .then(([mode, iceServers, createPeer]) => {
          const still = get().watching;
          if (!still || still.share.shareId !== shareId || still.status !== 'connecting' || receiver) return;
          set({ watching: { ...still, transport: mode } });
          const r = createPeer
            ? createP2PShareReceiver({ createPeer, iceServers, sendSignal: (signal) => void send({ type: 'share.signal', shareId, signal }) })
            : createSfuShareReceiver({ signaling: get().mediaSignaling(), loadSessions: ctx.loadSfuSessions, iceServers, shareId, onProblem: ctx.mediaProblem });
          receiver = r;
          r.onStream((stream) => {
            const cur = get().watching;
            if (receiver === r && cur && cur.share.shareId === shareId) set({ watching: { ...cur, status: 'live', stream } });
          });
          r.onState((state) => {
            const cur = get().watching;
            if (receiver !== r || !cur || cur.share.shareId !== shareId) return;
            if (state === 'failed' || state === 'closed') {
              receiver = null;
              set({ watching: { ...cur, status: 'ended', endedReason: null, stream: null } });
            }
          });
          for (const signal of queuedSignals) r.signal(signal);
          queuedSignals = [];
        })
        .catch(() => {
          const cur = get().watching;
          if (cur && cur.share.shareId === shareId) set({ watching: { ...cur, status: 'ended', endedReason: null, stream: null } });
        });
    },

    applyShareEnded(frame) {
      const w = get().watching;
      if (!w || w.share.shareId !== frame.shareId) return;
      teardownWatching();
      // A leave we asked for needs no message; anything else is shown until dismissed.
      set({ watching: frame.reason === 'left' ? null : { ...w, status: 'ended', endedReason: frame.reason, stream: null } });
    },
  };

  return {
    actions,
    signal(frame) {
      const w = get().watching;
      if (!w || w.share.shareId !== frame.shareId || w.share.sharerId !== frame.from) return false;
      if (receiver) receiver.signal(frame.signal);
      else queuedSignals.push(frame.signal);
      return true;
    },

    refused(ref) {
      if (!joinRequest || ref !== joinRequest.id) return false;
      joinRequest = null;
      teardownWatching();
      set({ watching: null });
      return true;
    },

    reset() {
      teardownWatching();
    },
  };
}
