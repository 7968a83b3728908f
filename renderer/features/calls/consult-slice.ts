import { IceRestarter } from '../../../browser/media/ice-restarter';
import { type ConsultView } from '../../../shared';
import { type SliceCreator } from '../../app/store-types';
import { type CallPeer, type Signal } from '../../media/call-peer-types';

export interface ConsultEntry {
  view: ConsultView;
  /** The other agent's voice, played by the consult panel. */
  remoteStream: MediaStream | null;
  error: string | null;
  /** The consult's audio path broke and an ICE restart is under way (the call's agent's side). */
  reconnecting: boolean;
}

export interface ConsultSlice {
  /** The consult this agent is in (as the call's agent or as the agent consulted), if any. */
  consult: ConsultEntry | null;
  /** The call's agent consults another agent (consult.start); the server puts the customer on hold. */
  startConsult(interactionId: string, toUserId: string): boolean;
  acceptConsult(): void;
  /** Cancel (the call's agent), or decline / hang up (the agent consulted). */
  cancelConsult(): void;
  completeConsult(): void;
  applyConsultState(view: ConsultView): void;
  applyConsultSignal(consultId: string, signal: Signal): void;
  clearConsult(): void;
}

/** Signals that arrive before our peer exists (the offer and its candidates). */
const MAX_EARLY_SIGNALS = 200;

/** One consult audio attempt: a new one (an app reconnected while talking) needs a new peer on both sides. */
const attemptOf = (view: ConsultView) => `${view.id}#${view.attempt ?? 0}`;

/**
 * The consult call between two agents: a second WebRTC peer, separate from the customer's call.
 * Its microphone is its own capture (never the call's), so the call's recording and monitoring,
 * which tap the call's microphone, never carry the consult. Set up once the agent consulted
 * answers (state talking); the call's agent makes the offer. After a reload the server sends the
 * consult again (a new attempt while talking): the panel is back and both sides make a new peer.
 */
export const createConsultSlice: SliceCreator<ConsultSlice> = (deps) => (set, get) => {
  let peer: CallPeer | null = null;
  let mic: MediaStream | null = null;
  let peerFor: string | null = null;
  let early: Signal[] = [];
  /** The call's agent made the offer, so it restarts ICE when the path breaks (offers never cross). */
  let restarter: IceRestarter | null = null;

  const patch = (fn: (e: ConsultEntry) => ConsultEntry) =>
    set((s) => (s.consult ? { consult: fn(s.consult) } : {}));

  const teardown = () => {
    const p = peer;
    peer = null;
    peerFor = null;
    early = [];
    restarter?.stop();
    restarter = null;
    try {
      p?.destroy();
    } catch {
      // Already closed.
    }
    if (p) deps.media?.exposeConsultPeer?.(null);
    for (const t of mic?.getTracks() ?? []) t.stop();
    mic = null;
  };

  const connect = async (view: ConsultView) => {
    const media = deps.media;
    const attempt = attemptOf(view);
    if (peerFor === attempt) return;
    peerFor = attempt;
    if (!media?.createConsultPeer) {
      patch((e) => ({ ...e, error: 'Consult calls are not available in this window.' }));
      return;
    }
    try {
      const [stream, iceServers] = await Promise.all([media.getMicrophone(), get().getIceServers().catch(() => [])]);
      if (peerFor !== attempt) {
        for (const t of stream.getTracks()) t.stop();
        return;
      }
      mic = stream;
      const me = get().auth.user?.id;
      const initiator = me === view.fromUserId;
      const created: CallPeer = await media.createConsultPeer(
        { stream, iceServers, initiator },
        {
          onSignal: (signal) => {
            if (peer === created) get().sendMessage({ type: 'consult.signal', consultId: view.id, signal });
          },
          onStream: (remote) => {
            if (peer === created) patch((e) => ({ ...e, remoteStream: remote }));
          },
          onConnect: () => undefined,
          onIceState: (state) => {
            if (peer === created) restarter?.onIceState(state);
          },
          onInboundStall: (stalled) => {
            if (peer === created) restarter?.onInboundStall(stalled);
          },
          onClose: () => undefined,
          onError: () => {
            if (peer === created) patch((e) => ({ ...e, error: 'The consult audio connection failed.' }));
          },
        },
      );
      if (peerFor !== attempt) {
        created.destroy();
        return;
      }
      peer = created;
      if (initiator) {
        restarter = new IceRestarter({
          restartIce: () => created.restartIce(),
          onReconnecting: (reconnecting) => patch((e) => ({ ...e, reconnecting })),
        });
      }
      media.exposeConsultPeer?.(created.peerConnection);
      const pending = early;
      early = [];
      for (const s of pending) created.signal(s);
    } catch (err) {
      patch((e) => ({ ...e, error: err instanceof Error && err.message ? err.message : 'The consult call could not be set up.' }));
    }
  };

  return {
    consult: null,

    startConsult(interactionId, toUserId) {
      if (get().consult) return false;
      const sent = get().sendMessage({ type: 'consult.start', interactionId, toUserId });
      if (!sent) get().pushNotice('Not connected: the consult was not started. Try again once the connection is back.', 'error');
      return sent;
    },

    acceptConsult() {
      const c = get().consult;
      if (c?.view.state === 'ringing') get().sendMessage({ type: 'consult.accept', consultId: c.view.id });
    },

    cancelConsult() {
      const c = get().consult;
      if (c) get().sendMessage({ type: 'consult.cancel', consultId: c.view.id });
    },

    completeConsult() {
      const c = get().consult;
      if (c?.view.state === 'talking') get().sendMessage({ type: 'consult.complete', consultId: c.view.id });
    },

    applyConsultState(view) {
      const current = get().consult;
      if (view.state === 'completed' || view.state === 'cancelled') {
        if (current && current.view.id !== view.id) return;
        teardown();
        set({ consult: null });
        const me = get().auth.user?.id;
        const other = me === view.fromUserId ? view.toName : view.fromName;
        if (view.state === 'completed') {
          get().pushNotice(me === view.fromUserId ? `The call went to ${view.toName}.` : `You have the call ${view.fromName} handed over.`);
        } else if (view.reason === 'call_ended') {
          get().pushNotice('The consult ended: the customer’s call is over.');
        } else if (view.reason === 'disconnected') {
          get().pushNotice(`The consult with ${other} ended: a connection was lost.`);
        } else {
          get().pushNotice(view.reason === 'declined' ? `${view.toName} declined the consult.` : `The consult with ${other} ended.`);
        }
        return;
      }
      const same = current !== null && attemptOf(current.view) === attemptOf(view);
      if (current && !same) teardown();
      set({ consult: { view, remoteStream: same ? current.remoteStream : null, error: same ? current.error : null, reconnecting: same ? current.reconnecting : false } });
      if (view.state === 'talking') void connect(view);
    },

    applyConsultSignal(consultId, signal) {
      const view = get().consult?.view;
      if (view?.id !== consultId) return;
      if (peer && peerFor === attemptOf(view)) {
        try {
          peer.signal(signal);
        } catch {
          // A signal for an older negotiation.
        }
        return;
      }
      if (early.length < MAX_EARLY_SIGNALS) early.push(signal);
    },

    clearConsult() {
      teardown();
      set({ consult: null });
    },
  };
};
