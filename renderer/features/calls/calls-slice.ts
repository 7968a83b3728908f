import { type InteractionDetail, type InteractionSummary } from '../../../shared';
import { memoOn } from '../../app/memo';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type Signal } from '../../media/call-peer-types';
import { customerLabel } from '../offers/offer-logic';
import { isEndedStatus, movedAway } from '../workspace/interaction-status';
import { CallController } from './call-controller';
import { type CallEvent, type CallMachineState, callReducer, initialCallState, isTerminal } from './call-machine';

export interface CallEntry extends CallMachineState {
  id: string;
  summary: InteractionSummary;
  /** The customer's audio, played by the panel's <audio> element. */
  remoteStream: MediaStream | null;
  /**
   * Barge: the supervisor's voice the customer hears now with the agent (not in whisper, not on
   * hold); the recording mixes it in. Absent or null otherwise.
   */
  sentVoice?: MediaStream | null;
}

export interface CallsState {
  byId: Readonly<Record<string, CallEntry>>;
  order: readonly string[];
}

export interface CallsSlice {
  calls: CallsState;
  /**
   * At the start of work: loads the peer code and TURN credentials, so the first offer never waits on a
   * download that a sleep or a network change may have left hanging on a dead connection.
   */
  prepareCalls(): void;
  /** interaction.opened for a call: set up the answering peer (once; a re-open after reconnect only updates). */
  openCall(detail: InteractionDetail): void;
  applyCallUpdated(summary: InteractionSummary, myUserId: string | null): void;
  applyCallSignal(interactionId: string, signal: Signal): void;
  toggleMute(interactionId: string): void;
  toggleHold(interactionId: string): void;
  /** Ends the call for both sides (interaction.end) and closes the peer at once. */
  hangUp(interactionId: string): void;
  /** Closes the local side without telling the server (the server already ended it). */
  endCallLocally(interactionId: string): void;
  removeCall(interactionId: string): void;
  clearCalls(): void;
  /** Barge: a supervisor's voice sent on to the customer with the microphone (null: the microphone alone). */
  setCallVoice(interactionId: string, voice: MediaStream | null): void;
}

const initialCalls: CallsState = { byId: {}, order: [] };

/** Signals for a call we have not been told about yet (they can overtake interaction.opened). */
const MAX_EARLY_SIGNALS = 200;

export const createCallsSlice: SliceCreator<CallsSlice> = (deps) => (set, get) => {
  const now = deps.now ?? Date.now;
  const controllers = new Map<string, CallController>();
  const early = new Map<string, Signal[]>();

  const update = (id: string, fn: (entry: CallEntry) => CallEntry) =>
    set((s) => {
      const entry = s.calls.byId[id];
      if (!entry) return {};
      const next = fn(entry);
      return next === entry ? {} : { calls: { ...s.calls, byId: { ...s.calls.byId, [id]: next } } };
    });

  const dispatch = (id: string, event: CallEvent) =>
    update(id, (e) => {
      const next = callReducer(e, event);
      return next === e ? e : { ...e, ...next };
    });

  const startController = (id: string) => {
    const media = deps.media;
    if (!media) {
      dispatch(id, { type: 'failed', message: 'Calls are not available in this window.', at: now() });
      return;
    }
    const controller = new CallController({
      interactionId: id,
      media,
      getIceServers: () => get().getIceServers(),
      sendSignal: (signal) => {
        get().sendMessage({ type: 'call.signal', interactionId: id, signal });
      },
      onEvent: (event) => dispatch(id, event),
      onRemoteStream: (stream) => update(id, (e) => (e.remoteStream === stream ? e : { ...e, remoteStream: stream })),
      onSentVoice: (voice) => update(id, (e) => ((e.sentVoice ?? null) === voice ? e : { ...e, sentVoice: voice })),
      now,
    });
    controllers.set(id, controller);
    for (const signal of early.get(id) ?? []) controller.signal(signal);
    early.delete(id);
    void controller.start();
  };

  const stopController = (id: string) => {
    const controller = controllers.get(id);
    controllers.delete(id);
    controller?.end();
  };

  return {
    calls: initialCalls,

    prepareCalls() {
      deps.media?.prepare?.();
      void get().getIceServers();
    },

    setCallVoice(interactionId, voice) {
      controllers.get(interactionId)?.setVoice(voice);
    },

    openCall(detail) {
      const { messages: _m, wrapup: _w, timeline: _t, durations: _d, ...summary } = detail;
      const existing = get().calls.byId[detail.id];
      if (existing) {
        update(detail.id, (e) => ({ ...e, summary }));
        if (isEndedStatus(detail.status)) get().endCallLocally(detail.id);
        return;
      }
      set((s) => ({
        calls: {
          byId: { ...s.calls.byId, [detail.id]: { ...initialCallState, id: detail.id, summary, remoteStream: null } },
          order: [...s.calls.order, detail.id],
        },
      }));
      if (isEndedStatus(detail.status)) {
        dispatch(detail.id, { type: 'ended', at: now() });
        return;
      }
      startController(detail.id);
    },

    applyCallUpdated(summary, myUserId) {
      const entry = get().calls.byId[summary.id];
      if (!entry) return;
      if (movedAway(summary, myUserId)) {
        stopController(summary.id);
        get().removeCall(summary.id);
        const to = summary.agentName ? `to ${summary.agentName}` : `to the ${summary.queueName} queue`;
        get().pushNotice(`Call with ${customerLabel(summary.customer)} was transferred ${to}.`);
        return;
      }
      update(summary.id, (e) => ({ ...e, summary }));
      if (isEndedStatus(summary.status)) {
        get().endCallLocally(summary.id);
        return;
      }
      // The server's hold state wins (e.g. after a reconnect); apply it without echoing it back.
      const controller = controllers.get(summary.id);
      if (controller && summary.onHold !== entry.held) controller.setHeld(summary.onHold);
    },

    applyCallSignal(interactionId, signal) {
      const controller = controllers.get(interactionId);
      if (controller) {
        controller.signal(signal);
        return;
      }
      if (get().calls.byId[interactionId]) return; // over already
      const list = early.get(interactionId) ?? [];
      if (list.length < MAX_EARLY_SIGNALS) list.push(signal);
      early.set(interactionId, list);
    },

    toggleMute(interactionId) {
      const entry = get().calls.byId[interactionId];
      const controller = controllers.get(interactionId);
      if (!entry || !controller || isTerminal(entry.phase)) return;
      const muted = !entry.muted;
      controller.setMuted(muted);
      get().sendMessage({ type: 'call.mute', interactionId, muted });
    },

    toggleHold(interactionId) {
      const entry = get().calls.byId[interactionId];
      const controller = controllers.get(interactionId);
      if (!entry || !controller || entry.phase !== 'connected') return;
      const held = !entry.held;
      controller.setHeld(held);
      if (get().sendRequest({ type: 'call.hold', interactionId, held }) === null) {
        get().pushNotice('Not connected to the server: the customer was not told about the hold.', 'error');
      }
    },

    hangUp(interactionId) {
      const entry = get().calls.byId[interactionId];
      if (!entry) return;
      // Even a failed call (e.g. no microphone) is still open on the server until ended.
      if (!isEndedStatus(entry.summary.status)) get().sendRequest({ type: 'interaction.end', interactionId });
      get().endCallLocally(interactionId);
    },

    endCallLocally(interactionId) {
      early.delete(interactionId);
      if (controllers.has(interactionId)) {
        stopController(interactionId);
        return;
      }
      dispatch(interactionId, { type: 'ended', at: now() });
    },

    removeCall(interactionId) {
      stopController(interactionId);
      early.delete(interactionId);
      set((s) => {
        if (!s.calls.byId[interactionId]) return {};
        const byId = { ...s.calls.byId };
        delete byId[interactionId];
        return { calls: { byId, order: s.calls.order.filter((id) => id !== interactionId) } };
      });
    },

    clearCalls() {
      for (const id of [...controllers.keys()]) stopController(id);
      early.clear();
      set({ calls: initialCalls });
    },
  };
};

// ---- selectors ----

const deriveCallList = memoOn((calls: CallsState): CallEntry[] => calls.order.flatMap((id) => calls.byId[id] ?? []));

export const selectCallList = (s: AppState): CallEntry[] => deriveCallList(s.calls);
/** A call that is not over: the agent is on the phone. */
export const selectHasLiveCall = (s: AppState): boolean => deriveCallList(s.calls).some((c) => !isTerminal(c.phase));
