import { type ChatMessage, type RedactionKind, type SensitiveCategory, type InteractionDetail, type InteractionSummary, MAX_CHAT_TEXT, type ServerMessageOf } from '../../../shared';
import { memoOn } from '../../app/memo';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { customerLabel } from '../offers/offer-logic';
import { isEndedStatus, movedAway } from '../workspace/interaction-status';
import { newClientMsgId, shouldSendTyping } from './chat-logic';
import { type Outbox, acknowledge, enqueue, markFailed, markSent, remove, toResend } from './outbox';
import { lastSeq, mergeMessages } from '../../../browser/chat/transcript';
import { unreadCount } from './transcript';

export interface ChatEntry {
  id: string;
  summary: InteractionSummary;
  messages: readonly ChatMessage[];
  /** Our own messages the server redacted, by message id: what it removed (shown under the message). */
  redacted: Readonly<Record<string, readonly RedactionKind[]>>;
  /** Categories the server suggested marking (sensitive.suggested) and the agent has not dismissed. */
  sensitiveSuggested?: readonly SensitiveCategory[];
  outbox: Outbox;
  /** Highest seq shown to the agent (tab selected, window visible). */
  seenUpTo: number;
  /** Highest upToSeq reported to the server with chat.seen. */
  reportedSeen: number;
  /** Highest seq the customer has seen: our messages up to it are "read". */
  customerSeenUpTo: number;
  /** Our clock when the customer last typed, or null once their message arrived. */
  customerTypingAt: number | null;
  lastTypingSentAt: number;
  /** Unsent text, kept per tab so switching chats does not lose it. */
  draft: string;
  /** The chat is over (ended, in wrap-up or closed): read-only. */
  ended: boolean;
  /** Why the last send could not even be attempted (too long, not open). */
  inputError: string | null;
}

export interface ChatsState {
  byId: Readonly<Record<string, ChatEntry>>;
  /** Tab order: the order chats opened. */
  order: readonly string[];
  selectedId: string | null;
}

export interface ChatsSlice {
  chats: ChatsState;
  /** interaction.opened for a chat: new tab, or a transcript merge after a reconnect. */
  openChat(detail: InteractionDetail, focus: boolean): void;
  applyChatUpdated(summary: InteractionSummary, myUserId: string | null): void;
  applyChatMessage(message: ServerMessageOf<'chat.message'>): void;
  applyChatTyping(message: ServerMessageOf<'chat.typing'>): void;
  applyChatSeen(message: ServerMessageOf<'chat.seen'>): void;
  applySensitiveSuggested(message: ServerMessageOf<'sensitive.suggested'>): void;
  dismissSensitiveSuggestion(interactionId: string, category: SensitiveCategory): void;
  selectChat(interactionId: string): void;
  /** Updates the draft and tells the customer we are typing (throttled). */
  setChatDraft(interactionId: string, text: string): void;
  /** Sends the draft; false when there was nothing to send or it was refused locally. */
  sendChat(interactionId: string): boolean;
  /** Reports the displayed messages as seen (chat.seen) and clears the unread count. */
  markChatSeen(interactionId: string): void;
  endChat(interactionId: string): boolean;
  /** After a reconnect: sends every unacknowledged message again, with its original clientMsgId. */
  resendOutbox(): void;
  chatSendFailed(interactionId: string, clientMsgId: string | undefined, message: string): void;
  retryChatMessage(interactionId: string, clientMsgId: string): void;
  discardChatMessage(interactionId: string, clientMsgId: string): void;
  markChatEnded(interactionId: string): void;
  /** Removes a tab (after wrap-up, a transfer away, or when the agent closes an ended chat). */
  removeChat(interactionId: string): void;
  clearChats(): void;
}

const initialChats: ChatsState = { byId: {}, order: [], selectedId: null };

export const createChatsSlice: SliceCreator<ChatsSlice> = (deps) => (set, get) => {
  const now = deps.now ?? Date.now;
  const newId = () => newClientMsgId(deps.newId);

  const update = (id: string, fn: (entry: ChatEntry) => ChatEntry) =>
    set((s) => {
      const entry = s.chats.byId[id];
      if (!entry) return {};
      const next = fn(entry);
      if (next === entry) return {};
      return { chats: { ...s.chats, byId: { ...s.chats.byId, [id]: next } } };
    });

  const sendOne = (interactionId: string, clientMsgId: string, text: string): boolean =>
    get().sendRequest({ type: 'chat.send', interactionId, clientMsgId, text }) !== null;

  /** Sends the given queued messages of a chat now (once stored, or after a reload). */
  const sendQueued = (interactionId: string, ids: ReadonlySet<string>) => {
    const entry = get().chats.byId[interactionId];
    if (!entry || entry.ended) return;
    const sent = new Set<string>();
    for (const item of entry.outbox) {
      if (ids.has(item.clientMsgId) && item.state === 'queued' && sendOne(interactionId, item.clientMsgId, item.text)) sent.add(item.clientMsgId);
    }
    if (sent.size > 0) update(interactionId, (e) => ({ ...e, outbox: markSent(e.outbox, sent, true) }));
  };

  /** The durable copy goes once the server has the message (or the agent gave it up). */
  const forget = (clientMsgIds: readonly string[]) => {
    const local = get().localData.session;
    for (const id of clientMsgIds) void local?.dropChatMessage(id).catch(() => undefined);
  };

  /** After a reload: the messages still waiting on this computer go back into the chat and out again. */
  const restoreWaiting = (interactionId: string) => {
    const local = get().localData.session;
    if (!local) return;
    local.pendingChatMessages(interactionId).then(
      (pending) => {
        if (pending.length === 0) return;
        const restored = new Set<string>();
        update(interactionId, (e) => {
          const known = new Set(e.outbox.map((o) => o.clientMsgId));
          let outbox = e.outbox;
          for (const p of pending) {
            if (known.has(p.clientMsgId)) continue;
            outbox = enqueue(outbox, p, false);
            restored.add(p.clientMsgId);
          }
          if (e.ended) for (const id of restored) outbox = markFailed(outbox, id, 'The chat ended before this message reached the customer.');
          return outbox === e.outbox ? e : { ...e, outbox };
        });
        sendQueued(interactionId, restored);
      },
      () => undefined,
    );
  };

  return {
    chats: initialChats,

    openChat(detail, focus) {
      const isNew = !get().chats.byId[detail.id];
      set((s) => {
        const existing = s.chats.byId[detail.id];
        const ended = isEndedStatus(detail.status);
        const { messages, wrapup: _wrapup, timeline: _timeline, durations: _durations, ...summary } = detail;
        const entry: ChatEntry = existing
          ? {
              ...existing,
              summary,
              messages: mergeMessages(existing.messages, messages),
              ended,
            }
          : {
              id: detail.id,
              summary,
              messages: mergeMessages([], messages),
              redacted: {},
              outbox: [],
              seenUpTo: 0,
              reportedSeen: 0,
              customerSeenUpTo: 0,
              customerTypingAt: null,
              lastTypingSentAt: 0,
              draft: '',
              ended,
              inputError: null,
            };
        // Unacknowledged messages stay in the outbox: the transcript carries no clientMsgId to match,
        // and the resend after hello gets them acknowledged (the server stores each id once).
        return {
          chats: {
            byId: { ...s.chats.byId, [detail.id]: entry },
            order: existing ? s.chats.order : [...s.chats.order, detail.id],
            selectedId: focus || s.chats.selectedId === null ? detail.id : s.chats.selectedId,
          },
        };
      });
      if (isNew) restoreWaiting(detail.id);
    },

    applyChatUpdated(summary, myUserId) {
      const entry = get().chats.byId[summary.id];
      if (!entry) return;
      if (movedAway(summary, myUserId)) {
        get().removeChat(summary.id);
        const to = summary.agentName ? `to ${summary.agentName}` : `to the ${summary.queueName} queue`;
        get().pushNotice(`Chat with ${customerLabel(summary.customer)} was transferred ${to}.`);
        return;
      }
      update(summary.id, (e) => ({ ...e, summary, ended: e.ended || isEndedStatus(summary.status) }));
    },

    applyChatMessage(frame) {
      if (frame.clientMsgId && frame.message.from === 'agent') forget([frame.clientMsgId]);
      update(frame.interactionId, (e) => {
        const messages = mergeMessages(e.messages, [frame.message]);
        const outbox = frame.clientMsgId ? acknowledge(e.outbox, frame.clientMsgId) : e.outbox;
        const typingOver = frame.message.from === 'customer' ? null : e.customerTypingAt;
        const redacted = frame.redacted?.length ? { ...e.redacted, [frame.message.id]: frame.redacted } : e.redacted;
        if (messages === e.messages && outbox === e.outbox && typingOver === e.customerTypingAt && redacted === e.redacted) return e;
        return { ...e, messages, outbox, redacted, customerTypingAt: typingOver };
      });
    },

    applyChatTyping(frame) {
      if (frame.from !== 'customer') return;
      update(frame.interactionId, (e) => ({ ...e, customerTypingAt: now() }));
    },

    applyChatSeen(frame) {
      if (frame.by !== 'customer') return;
      update(frame.interactionId, (e) => (frame.upToSeq > e.customerSeenUpTo ? { ...e, customerSeenUpTo: frame.upToSeq } : e));
    },

    applySensitiveSuggested(frame) {
      update(frame.interactionId, (e) => {
        const shown = e.sensitiveSuggested ?? [];
        return shown.includes(frame.category) ? e : { ...e, sensitiveSuggested: [...shown, frame.category] };
      });
    },

    dismissSensitiveSuggestion(interactionId, category) {
      update(interactionId, (e) => ({ ...e, sensitiveSuggested: (e.sensitiveSuggested ?? []).filter((c) => c !== category) }));
    },

    selectChat(interactionId) {
      if (!get().chats.byId[interactionId]) return;
      set((s) => ({ chats: { ...s.chats, selectedId: interactionId } }));
    },

    setChatDraft(interactionId, text) {
      const entry = get().chats.byId[interactionId];
      if (!entry) return;
      let lastTypingSentAt = entry.lastTypingSentAt;
      if (!entry.ended && text.trim() !== '' && shouldSendTyping(lastTypingSentAt, now())) {
        if (get().sendMessage({ type: 'chat.typing', interactionId })) lastTypingSentAt = now();
      }
      update(interactionId, (e) => ({ ...e, draft: text, lastTypingSentAt, inputError: null }));
    },

    sendChat(interactionId) {
      const entry = get().chats.byId[interactionId];
      if (!entry || entry.ended) return false;
      const text = entry.draft.trim();
      if (!text) return false;
      if (text.length > MAX_CHAT_TEXT) {
        update(interactionId, (e) => ({ ...e, inputError: `The message is too long (${text.length} of ${MAX_CHAT_TEXT} characters).` }));
        return false;
      }
      const clientMsgId = newId();
      const local = get().localData.session;
      if (local) {
        // Stored before it is sent: a reload or a dead link in between cannot lose it.
        const message = { clientMsgId, interactionId, text, createdAt: now() };
        update(interactionId, (e) => ({ ...e, draft: '', inputError: null, lastTypingSentAt: 0, outbox: enqueue(e.outbox, message, false) }));
        local.storeChatMessage(message).then(
          () => sendQueued(interactionId, new Set([clientMsgId])),
          // This computer cannot keep it: send it anyway, it is only in memory then.
          () => sendQueued(interactionId, new Set([clientMsgId])),
        );
        return true;
      }
      const sent = sendOne(interactionId, clientMsgId, text);
      update(interactionId, (e) => ({
        ...e,
        draft: '',
        inputError: null,
        // Typing resumes counting from zero: the next keystroke may announce typing again.
        lastTypingSentAt: 0,
        outbox: enqueue(e.outbox, { clientMsgId, text, createdAt: now() }, sent),
      }));
      return true;
    },

    markChatSeen(interactionId) {
      const entry = get().chats.byId[interactionId];
      if (!entry) return;
      const upTo = lastSeq(entry.messages);
      let reportedSeen = entry.reportedSeen;
      if (upTo > reportedSeen && !entry.ended && get().sendMessage({ type: 'chat.seen', interactionId, upToSeq: upTo })) {
        reportedSeen = upTo;
      }
      if (upTo === entry.seenUpTo && reportedSeen === entry.reportedSeen) return;
      update(interactionId, (e) => ({ ...e, seenUpTo: Math.max(e.seenUpTo, upTo), reportedSeen }));
    },

    endChat(interactionId) {
      const entry = get().chats.byId[interactionId];
      if (!entry || entry.ended) return false;
      const id = get().sendRequest({ type: 'interaction.end', interactionId });
      if (id === null) {
        update(interactionId, (e) => ({ ...e, inputError: 'Not connected. The chat can be ended once the connection is back.' }));
        return false;
      }
      return true;
    },

    resendOutbox() {
      for (const id of get().chats.order) {
        const entry = get().chats.byId[id];
        if (!entry || entry.ended) continue;
        const pending = toResend(entry.outbox);
        const sent = new Set<string>();
        const notSent = new Set<string>();
        for (const item of pending) (sendOne(id, item.clientMsgId, item.text) ? sent : notSent).add(item.clientMsgId);
        if (pending.length > 0) update(id, (e) => ({ ...e, outbox: markSent(markSent(e.outbox, sent, true), notSent, false) }));
        // Read receipts the server may have missed while we were away.
        if (entry.seenUpTo > entry.reportedSeen) get().markChatSeen(id);
      }
    },

    chatSendFailed(interactionId, clientMsgId, message) {
      update(interactionId, (e) => {
        const target = clientMsgId ?? e.outbox.findLast((o) => o.state === 'sending')?.clientMsgId;
        return target ? { ...e, outbox: markFailed(e.outbox, target, message) } : { ...e, inputError: message };
      });
    },

    retryChatMessage(interactionId, clientMsgId) {
      const entry = get().chats.byId[interactionId];
      const item = entry?.outbox.find((o) => o.clientMsgId === clientMsgId);
      if (!entry || !item || entry.ended) return;
      const sent = sendOne(interactionId, clientMsgId, item.text);
      update(interactionId, (e) => ({ ...e, outbox: markSent(e.outbox, new Set([clientMsgId]), sent) }));
    },

    discardChatMessage(interactionId, clientMsgId) {
      forget([clientMsgId]);
      update(interactionId, (e) => ({ ...e, outbox: remove(e.outbox, clientMsgId) }));
    },

    markChatEnded(interactionId) {
      update(interactionId, (e) => (e.ended ? e : { ...e, ended: true, customerTypingAt: null }));
    },

    removeChat(interactionId) {
      // What never reached the customer of a finished chat cannot be delivered any more.
      const gone = get().chats.byId[interactionId]?.outbox.map((o) => o.clientMsgId) ?? [];
      if (gone.length > 0) forget(gone);
      set((s) => {
        if (!s.chats.byId[interactionId]) return {};
        const byId = { ...s.chats.byId };
        delete byId[interactionId];
        const index = s.chats.order.indexOf(interactionId);
        const order = s.chats.order.filter((id) => id !== interactionId);
        // Select the neighbour so the agent stays in the chat area.
        const selectedId =
          s.chats.selectedId === interactionId ? (order[Math.min(index, order.length - 1)] ?? null) : s.chats.selectedId;
        return { chats: { byId, order, selectedId } };
      });
    },

    clearChats() {
      set({ chats: initialChats });
    },
  };
};

// ---- selectors ----

export interface ChatTab {
  id: string;
  customerName: string;
  unread: number;
  ended: boolean;
}

const deriveTabs = memoOn((chats: ChatsState): ChatTab[] =>
  chats.order.flatMap((id) => {
    const entry = chats.byId[id];
    if (!entry) return [];
    return [{ id, customerName: customerLabel(entry.summary.customer), unread: unreadCount(entry.messages, entry.seenUpTo), ended: entry.ended }];
  }),
);

export const selectChatTabs = (s: AppState): ChatTab[] => deriveTabs(s.chats);
export const selectSelectedChatId = (s: AppState) => s.chats.selectedId;
export const selectSelectedChat = (s: AppState): ChatEntry | null => (s.chats.selectedId ? (s.chats.byId[s.chats.selectedId] ?? null) : null);
export const selectChat = (id: string) => (s: AppState): ChatEntry | null => s.chats.byId[id] ?? null;
export const selectUnreadTotal = (s: AppState): number => deriveTabs(s.chats).reduce((sum, tab) => sum + tab.unread, 0);
