import { type RecordingStateFrame } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { isTerminal } from '../calls/call-machine';
import { createCaptureGates } from './capture-gates';

/** Secure pause of one call: what the agent sees and what the server was asked. */
export interface SecurePauseEntry {
  interactionId: string;
  /** Nothing of the call is captured (recorded, heard by listeners). */
  paused: boolean;
  /** Epoch ms the pause began. */
  pausedSince: number | null;
  /** The paused banner reminds the agent after this many seconds (the org's recording policy). */
  reminderAfterSeconds: number;
  /** A pause or resume the server has not confirmed yet. */
  pending: 'pause' | 'resume' | null;
  /** Why the server could not be told yet (not connected); cleared when it confirms. */
  error: string | null;
}

export interface SecurePauseState {
  byInteraction: Readonly<Record<string, SecurePauseEntry>>;
}

export interface SecurePauseSlice {
  securePause: SecurePauseState;
  /** The pause part of a recording.state frame (the recording slice passes each frame on first). */
  applySecurePauseState(frame: RecordingStateFrame): void;
  /** Secure pause on/off for a call (the live recorded or monitored call when no id is given, e.g. the hotkey). */
  toggleSecurePause(interactionId?: string): void;
}

const DEFAULT_REMINDER_SECONDS = 60;

/**
 * Whether secure pause applies to the call: it is recorded (audio or screen), or monitored under a policy where the
 * pause stops monitoring, or a pause is on (it can always be ended).
 */
export function canSecurePause(s: AppState, interactionId: string): boolean {
  return (
    s.recordings.byInteraction[interactionId]?.recording === true ||
    (s.recordings.byInteraction[interactionId]?.screen ?? null) !== null ||
    s.securePause.byInteraction[interactionId]?.paused === true ||
    s.monitoring.notices[interactionId]?.pauseStops === true
  );
}

/**
 * The one owner of secure pause in the app. The capture gates (AppDeps.captureGates: the recorder,
 * the monitoring publisher) are closed synchronously before the store changes and before the
 * server is asked, so the audio stops at its source in the step of the click.
 */
export const createSecurePauseSlice: SliceCreator<SecurePauseSlice> = (deps) => (set, get) => {
  const now = deps.now ?? Date.now;
  const gates = deps.captureGates ?? createCaptureGates();

  // Desktop: the global hotkey toggles secure pause of the live recorded or monitored call.
  deps.bridge.onSecurePauseHotkey?.(() => get().toggleSecurePause());

  // Wire names are the recording-only ones of before (see shared/api/secure-pause.ts).
  const ask = (id: string, paused: boolean) => get().sendMessage({ type: paused ? 'recording.pause' : 'recording.resume', interactionId: id });

  const put = (entry: SecurePauseEntry) => set((s) => ({ securePause: { byInteraction: { ...s.securePause.byInteraction, [entry.interactionId]: entry } } }));

  return {
    securePause: { byInteraction: {} },

    applySecurePauseState(frame) {
      const id = frame.interactionId;
      const prev = get().securePause.byInteraction[id];
      let paused = frame.paused;
      let pending = prev?.pending ?? null;
      let error = prev?.error ?? null;
      // An unrecorded call's frame also says its pause (monitoring obeys it); one that comes as the
      // call ends must not send a pause again, so only a connected call's own choice is said again.
      const chat = get().chats.byId[id];
      const mayRepeat = frame.recording || get().calls.byId[id]?.phase === 'connected' || (chat !== undefined && !chat.ended && frame.screen !== undefined);
      if (pending && (pending === 'pause') !== frame.paused && mayRepeat) {
        // Our own choice is not applied there yet (sent while offline, or this is an older frame): keep it and say it again.
        paused = pending === 'pause';
        ask(id, paused);
      } else {
        pending = null;
        error = null;
      }
      if (paused !== (prev?.paused ?? false)) gates.set(id, paused);
      const pausedSince = paused ? (prev?.paused && prev.pausedSince !== null ? prev.pausedSince : frame.pausedSince ? Date.parse(frame.pausedSince) : now()) : null;
      put({
        interactionId: id,
        paused,
        pausedSince,
        reminderAfterSeconds: frame.reminderAfterSeconds ?? prev?.reminderAfterSeconds ?? DEFAULT_REMINDER_SECONDS,
        pending,
        error,
      });
    },

    toggleSecurePause(interactionId) {
      const state = get();
      const id =
        interactionId ??
        Object.values(state.calls.byId).find((call) => !isTerminal(call.phase) && canSecurePause(state, call.id))?.id ??
        // A screen-recorded chat (the hotkey with no call): the selected one first.
        [state.chats.selectedId, ...state.chats.order].find((c) => c !== null && state.chats.byId[c]?.ended === false && canSecurePause(state, c)) ??
        undefined;
      if (!id || !canSecurePause(state, id)) return;
      const entry = state.securePause.byInteraction[id];
      const paused = !(entry?.paused ?? false);
      // At the source, at once: the recorder and the monitoring publisher stop before anything else happens.
      gates.set(id, paused);
      put({
        interactionId: id,
        paused,
        pausedSince: paused ? now() : null,
        reminderAfterSeconds: entry?.reminderAfterSeconds ?? DEFAULT_REMINDER_SECONDS,
        pending: paused ? 'pause' : 'resume',
        error: null,
      });
      if (!ask(id, paused)) {
        const what = state.recordings.byInteraction[id]?.recording ? 'Recording paused here' : 'Paused here';
        const message = paused ? `${what}; the server will be told when the connection is back.` : 'Not connected: the server will be told about the resume when the connection is back.';
        set((s) => {
          const current = s.securePause.byInteraction[id];
          return current ? { securePause: { byInteraction: { ...s.securePause.byInteraction, [id]: { ...current, error: message } } } } : {};
        });
        get().pushNotice(message, 'info');
      }
    },
  };
};

// ---- selectors ----

export const selectSecurePause =
  (interactionId: string) =>
  (s: AppState): SecurePauseEntry | undefined =>
    s.securePause.byInteraction[interactionId];
