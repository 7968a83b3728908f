import {
  type ClientMessage,
  type IceServer,
  type InteractionDetail,
  type InteractionSummary,
  type Queue,
  type ServerMessageOf,
  type TransferTargetAgent,
} from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { ApiError } from '../../net/api-client';
import { type PendingRequest, type RequestType } from '../connection/requests';
import { createIceServerCache } from './ice-server-cache';
import { isEndedStatus, movedAway } from './interaction-status';

export type View = 'work' | 'history' | 'replies' | 'evaluations' | 'board' | 'training' | 'reports' | 'admin' | 'privacy' | 'settings' | 'account';

/** Where an interaction can be transferred: a queue, or a named agent. */
export type TransferTarget = Extract<ClientMessage, { type: 'interaction.transfer' }>['to'];

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
  at: number;
}

export interface QueuesInfo {
  list: readonly Queue[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
}

export interface WorkspaceState {
  view: View;
  /** Short messages about things that happened outside the agent's focus (transfers, refusals). */
  notices: readonly Notice[];
  queues: QueuesInfo;
}

export interface WorkspaceSlice {
  workspace: WorkspaceState;
  setView(view: View): void;
  pushNotice(text: string, tone?: Notice['tone']): void;
  dismissNotice(id: number): void;
  /** GET /api/queues (for transfers); cached until `force`. */
  loadQueues(force?: boolean): Promise<void>;
  /** STUN/TURN servers from GET /api/config, fetched once per session. */
  getIceServers(): Promise<IceServer[]>;
  /** An error frame: shown next to what caused it, or as a notice. */
  routeServerError(message: ServerMessageOf<'error'>, request: PendingRequest | null): void;
  /**
   * After every accepted hello: drop offers (the server re-sends the live one), resend what the
   * server may have missed, and soon after check the interactions it did not re-open.
   */
  resumeWork(): void;
  /** Asks the server about each open chat/call and closes the ones that ended or moved meanwhile. */
  reconcileOpenWork(): Promise<void>;
  applyInteractionOpened(detail: InteractionDetail): void;
  applyInteractionUpdated(summary: InteractionSummary): void;
  transferInteraction(interactionId: string, to: TransferTarget): boolean;
  /** Agents it can go to by name with their live state (GET /api/interactions/:id/transfer-targets). */
  loadTransferTargets(interactionId: string): Promise<TransferTargetAgent[]>;
  /** Supervisors: moves a waiting or live interaction from the board (interaction.move). */
  moveInteraction(interactionId: string, to: TransferTarget): boolean;
  /** Sign-out: forget every interaction, close calls. */
  resetWork(): void;
}

const initialWorkspace: WorkspaceState = {
  view: 'work',
  notices: [],
  queues: { list: [], status: 'idle', error: null },
};

const MAX_NOTICES = 5;

/** Time for the server's re-sent interaction.opened frames to arrive before we ask about the rest. */
export const RECONCILE_DELAY_MS = 3000;

const ACTION_LABELS: Record<RequestType, string> = {
  'offer.accept': 'Accepting the offer',
  'offer.decline': 'Declining the offer',
  'chat.send': 'Sending the message',
  'call.hold': 'Changing hold',
  'interaction.end': 'Ending',
  'interaction.child_flag': 'Marking the customer as a child',
  'interaction.transfer': 'The transfer',
  'interaction.move': 'The move',
  'wrapup.submit': 'Submitting the wrap-up',
};

export const createWorkspaceSlice: SliceCreator<WorkspaceSlice> = (deps) => (set, get) => {
  const now = deps.now ?? Date.now;
  let noticeSeq = 0;
  const iceServers = createIceServerCache({
    fetch: () => {
      const { serverUrl, token } = get().auth;
      return token ? deps.createApi(serverUrl).iceServers(token) : null;
    },
    now,
    log: (message, detail) => console.warn(`[veildesk] ${message}`, detail),
  });
  let reconcileTimer: ReturnType<typeof setTimeout> | null = null;

  const patch = (next: Partial<WorkspaceState>) => set((s) => ({ workspace: { ...s.workspace, ...next } }));

  return {
    workspace: initialWorkspace,

    setView(view) {
      if (get().workspace.view !== view) patch({ view });
    },

    pushNotice(text, tone = 'info') {
      noticeSeq += 1;
      const notice: Notice = { id: noticeSeq, text, tone, at: now() };
      set((s) => ({ workspace: { ...s.workspace, notices: [...s.workspace.notices, notice].slice(-MAX_NOTICES) } }));
    },

    dismissNotice(id) {
      set((s) => ({ workspace: { ...s.workspace, notices: s.workspace.notices.filter((n) => n.id !== id) } }));
    },

    async loadQueues(force = false) {
      const { status } = get().workspace.queues;
      if (status === 'loading' || (status === 'ready' && !force)) return;
      const { serverUrl, token } = get().auth;
      if (!token) return;
      patch({ queues: { ...get().workspace.queues, status: 'loading', error: null } });
      try {
        const list = await deps.createApi(serverUrl).queues(token);
        patch({ queues: { list, status: 'ready', error: null } });
      } catch (err) {
        const message = err instanceof ApiError ? err.message : 'Could not load the queues.';
        patch({ queues: { ...get().workspace.queues, status: 'error', error: message } });
      }
    },

    getIceServers() {
      // GET /api/ice-servers: TURN credentials expire, renewed before they do.
      return iceServers.get();
    },

    routeServerError(message, request) {
      const state = get();
      if (state.applyServerError(message)) return;
      if (!request) {
        console.warn(`[veildesk] server error ${message.code}: ${message.message}${message.ref ? ` (${message.ref})` : ''}`);
        // Refusals of typing/seen/signal frames are not worth interrupting the agent for.
        if (message.ref && /^(chat\.typing|chat\.seen|call\.signal|call\.mute)$/.test(message.ref)) return;
        state.pushNotice(message.message, 'error');
        return;
      }
      switch (request.type) {
        case 'chat.send':
          state.chatSendFailed(request.interactionId, request.clientMsgId, message.message);
          return;
        case 'wrapup.submit':
          state.wrapupFailed(request.interactionId, message.message);
          return;
        case 'offer.accept':
        case 'offer.decline':
          state.offerFailed(request.interactionId, message.message);
          return;
        default:
          state.pushNotice(`${ACTION_LABELS[request.type]} failed: ${message.message}`, 'error');
      }
    },

    resumeWork() {
      const state = get();
      state.clearPendingOffers();
      state.resendOutbox();
      if (reconcileTimer !== null) clearTimeout(reconcileTimer);
      reconcileTimer = setTimeout(() => {
        reconcileTimer = null;
        void get().reconcileOpenWork();
      }, RECONCILE_DELAY_MS);
    },

    async reconcileOpenWork() {
      const state = get();
      const { serverUrl, token } = state.auth;
      if (!token) return;
      const ids = new Set<string>();
      for (const id of state.chats.order) if (!state.chats.byId[id]?.ended) ids.add(id);
      for (const id of state.calls.order) if (state.calls.byId[id]?.summary.status === 'active') ids.add(id);
      if (ids.size === 0) return;
      const api = deps.createApi(serverUrl);
      const me = state.auth.user?.id ?? null;
      await Promise.all(
        [...ids].map(async (id) => {
          try {
            const detail = await api.interaction(token, id);
            const { messages: _m, timeline: _t, wrapup: _w, durations: _d, ...summary } = detail;
            // Only act on news that cannot be stale: it ended, or it is no longer ours.
            if (isEndedStatus(summary.status) || movedAway(summary, me)) get().applyInteractionUpdated(summary);
          } catch (err) {
            console.warn(`[veildesk] could not check interaction ${id} after reconnecting`, err);
          }
        }),
      );
    },

    applyInteractionOpened(detail) {
      const state = get();
      // Opened because we accepted it: bring it to the front.
      const focus = state.wasAcceptedHere(detail.id);
      state.removeOffer(detail.id);
      if (detail.kind === 'chat') state.openChat(detail, focus);
      else if (detail.kind === 'call') state.openCall(detail);
      if (focus && state.workspace.view !== 'work') state.setView('work');
    },

    applyInteractionUpdated(summary) {
      const state = get();
      const me = state.auth.user?.id ?? null;
      state.updateOfferSummary(summary);
      state.applyChatUpdated(summary, me);
      state.applyCallUpdated(summary, me);
    },

    transferInteraction(interactionId, to) {
      const id = get().sendRequest({ type: 'interaction.transfer', interactionId, to });
      if (id === null) {
        get().pushNotice('Not connected: the transfer was not sent. Try again once the connection is back.', 'error');
        return false;
      }
      return true;
    },

    async loadTransferTargets(interactionId) {
      const { serverUrl, token } = get().auth;
      if (!token) return [];
      return deps.createApi(serverUrl).transferTargets(token, interactionId);
    },

    moveInteraction(interactionId, to) {
      const id = get().sendRequest({ type: 'interaction.move', interactionId, to });
      if (id === null) {
        get().pushNotice('Not connected: the move was not sent. Try again once the connection is back.', 'error');
        return false;
      }
      return true;
    },

    resetWork() {
      const state = get();
      state.clearOffers();
      state.clearChats();
      state.clearCalls();
      state.clearConsult();
      state.clearWrapups();
      state.clearHistory();
      state.clearBoard();
      iceServers.clear();
      if (reconcileTimer !== null) clearTimeout(reconcileTimer);
      reconcileTimer = null;
      set({ workspace: initialWorkspace });
    },
  };
};

// ---- selectors ----

export const selectView = (s: AppState) => s.workspace.view;
export const selectNotices = (s: AppState) => s.workspace.notices;
export const selectQueues = (s: AppState) => s.workspace.queues;
