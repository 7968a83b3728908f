import { type InteractionSummary, type ServerMessageOf } from '../../../shared';
import { memoOn } from '../../app/memo';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { customerLabel } from '../offers/offer-logic';
import { validateWrapup } from './wrapup-logic';

/** How long a wrap-up sent over the socket (no local data) may wait for its answer. */
const WRAPUP_ANSWER_MS = 15_000;

export interface WrapupEntry {
  interactionId: string;
  dispositions: readonly string[];
  deadline: string;
  /** What the wrap-up is about, when we still know the interaction. */
  summary: InteractionSummary | null;
  disposition: string;
  notes: string;
  submitting: boolean;
  /** Shown inline: our own check or the server's refusal. */
  error: string | null;
}

export interface WrapupsState {
  byId: Readonly<Record<string, WrapupEntry>>;
  order: readonly string[];
}

export interface WrapupSlice {
  wrapups: WrapupsState;
  applyWrapupRequired(message: ServerMessageOf<'wrapup.required'>): void;
  applyWrapupDone(message: ServerMessageOf<'wrapup.done'>): void;
  setWrapupField(interactionId: string, field: 'disposition' | 'notes', value: string): void;
  submitWrapup(interactionId: string): boolean;
  wrapupFailed(interactionId: string, message: string): void;
  clearWrapups(): void;
}

const initialWrapups: WrapupsState = { byId: {}, order: [] };

export const createWrapupSlice: SliceCreator<WrapupSlice> = () => (set, get) => {
  const update = (id: string, patch: Partial<WrapupEntry>) =>
    set((s) => {
      const entry = s.wrapups.byId[id];
      return entry ? { wrapups: { ...s.wrapups, byId: { ...s.wrapups.byId, [id]: { ...entry, ...patch } } } } : {};
    });

  const dropEntry = (id: string) =>
    set((s) => {
      if (!s.wrapups.byId[id]) return {};
      const byId = { ...s.wrapups.byId };
      delete byId[id];
      return { wrapups: { byId, order: s.wrapups.order.filter((x) => x !== id) } };
    });

  /**
   * The wrap-up goes to the durable local outbox first, online or not: the sync engine pushes it
   * with its mutation id (applied once however often it is resent) and drops it only on the
   * server's answer. So a link that dies mid-submit loses nothing and leaves no button waiting.
   */
  const queueLocally = (entry: WrapupEntry): boolean => {
    const local = get().localData.session;
    if (!local) return false;
    const id = entry.interactionId;
    update(id, { submitting: true, error: null });
    local.writeWrapup(id, entry.disposition, entry.notes).then(
      () => {
        dropEntry(id);
        get().removeChat(id);
        get().removeCall(id);
        if (get().connection.state !== 'open') get().pushNotice('Wrap-up saved on this computer. It is sent when the connection is back.');
      },
      (err: unknown) => update(id, { submitting: false, error: `Could not save the wrap-up on this computer (${err instanceof Error ? err.message : String(err)}). Try again.` }),
    );
    return true;
  };

  // Without local data the wrap-up goes over the socket; an answer that never comes must not leave
  // the form stuck on "Submitting…".
  const watchdogs = new Map<string, ReturnType<typeof setTimeout>>();
  const watch = (id: string) => {
    clearTimeout(watchdogs.get(id));
    watchdogs.set(
      id,
      setTimeout(() => {
        watchdogs.delete(id);
        if (get().wrapups.byId[id]?.submitting) update(id, { submitting: false, error: 'No answer from the server. Your notes are kept; submit again once the connection is back.' });
      }, WRAPUP_ANSWER_MS),
    );
  };

  return {
    wrapups: initialWrapups,

    applyWrapupRequired(message) {
      const id = message.interactionId;
      const state = get();
      const summary = state.chats.byId[id]?.summary ?? state.calls.byId[id]?.summary ?? state.wrapups.byId[id]?.summary ?? null;
      // The conversation is over: the chat becomes read-only and a call's media is released.
      state.markChatEnded(id);
      if (state.calls.byId[id]) state.endCallLocally(id);
      set((s) => {
        const existing = s.wrapups.byId[id];
        const entry: WrapupEntry = existing
          ? // Re-sent after a reconnect: keep what the agent already typed.
            { ...existing, dispositions: message.dispositions, deadline: message.deadline, summary, submitting: false }
          : {
              interactionId: id,
              dispositions: message.dispositions,
              deadline: message.deadline,
              summary,
              disposition: '',
              notes: '',
              submitting: false,
              error: null,
            };
        return { wrapups: { byId: { ...s.wrapups.byId, [id]: entry }, order: existing ? s.wrapups.order : [...s.wrapups.order, id] } };
      });
      // Re-sent after a reconnect while our offline wrap-up is still on its way: not asked again.
      void get()
        .localData.session?.hasPendingWrapup(id)
        .then((pending) => pending && dropEntry(id))
        .catch(() => undefined);
    },

    applyWrapupDone(message) {
      const id = message.interactionId;
      const entry = get().wrapups.byId[id];
      set((s) => {
        if (!s.wrapups.byId[id]) return {};
        const byId = { ...s.wrapups.byId };
        delete byId[id];
        return { wrapups: { byId, order: s.wrapups.order.filter((x) => x !== id) } };
      });
      get().removeChat(id);
      get().removeCall(id);
      if (message.timedOut) {
        const who = entry?.summary ? ` for ${customerLabel(entry.summary.customer)}` : '';
        get().pushNotice(`Wrap-up time ran out${who}; the interaction was closed without your notes.`);
      }
    },

    setWrapupField(interactionId, field, value) {
      update(interactionId, { [field]: value, error: null });
    },

    submitWrapup(interactionId) {
      const entry = get().wrapups.byId[interactionId];
      if (!entry || entry.submitting) return false;
      const problem = validateWrapup(entry.disposition, entry.dispositions, entry.notes);
      if (problem) {
        update(interactionId, { error: problem });
        return false;
      }
      if (queueLocally(entry)) return true;
      const id = get().sendRequest({ type: 'wrapup.submit', interactionId, disposition: entry.disposition, notes: entry.notes });
      if (id === null) {
        update(interactionId, { error: 'Not connected. Your notes are kept; submit again once the connection is back.' });
        return false;
      }
      update(interactionId, { submitting: true, error: null });
      watch(interactionId);
      return true;
    },

    wrapupFailed(interactionId, message) {
      update(interactionId, { submitting: false, error: message });
    },

    clearWrapups() {
      for (const timer of watchdogs.values()) clearTimeout(timer);
      watchdogs.clear();
      set({ wrapups: initialWrapups });
    },
  };
};

// ---- selectors ----

const deriveWrapupList = memoOn((w: WrapupsState): WrapupEntry[] => w.order.flatMap((id) => w.byId[id] ?? []));
export const selectWrapupList = (s: AppState): WrapupEntry[] => deriveWrapupList(s.wrapups);
