import { acknowledge, markFailed, markSent, newOutboxItem, retry, type OutboxItem } from './outbox';
import { isChatMessage, mergeMessages } from '../../browser/chat/transcript';
import type { ChatMessage } from './types';
import { redactionNotice } from '../../shared/redaction/notice';
import type { RedactionKind } from '../../shared/redaction/redact';

/**
 * The conversation as the widget shows it: confirmed messages (server order) followed by the
 * customer's messages still in the outbox. Pure reducer, so delivery states are testable in Node.
 *
 * Delivery of the customer's own messages only moves forward:
 *   sending (in the outbox) → sent (the server echoed it: acknowledged) → read (the agent's
 *   chat.seen covers its seq). A refused message is `failed` until the customer retries it.
 */
export interface ChatState {
  messages: readonly ChatMessage[];
  outbox: readonly OutboxItem[];
  /** Highest seq the agent has reported as displayed (their chat.seen). */
  agentReadUpTo: number;
  /** The customer's messages the server redacted, by message id: what it removed (shown under the message). */
  redacted: Readonly<Record<string, readonly RedactionKind[]>>;
}

export const EMPTY_CHAT: ChatState = { messages: [], outbox: [], agentReadUpTo: 0, redacted: {} };

export type ChatAction =
  /** hello.customer: the transcript so far (after a reconnect it repeats what we have). */
  | { type: 'transcript'; messages: readonly ChatMessage[] }
  /** chat.message: a new message; `clientMsgId` set when it acknowledges one of ours. */
  | { type: 'message'; message: ChatMessage; clientMsgId?: string; redacted?: readonly RedactionKind[] }
  /** The customer pressed send. */
  | { type: 'queued'; clientMsgId: string; text: string; at: string }
  /** The message went out on connection `connectionId`. */
  | { type: 'transmitted'; clientMsgId: string; connectionId: number; now: number }
  /** The server refused it, or every attempt went unanswered. */
  | { type: 'failed'; clientMsgId: string; error: string }
  | { type: 'retry'; clientMsgId: string }
  /** The customer dropped a failed message. */
  | { type: 'discard'; clientMsgId: string }
  /** chat.seen from the other side. */
  | { type: 'seen'; upToSeq: number; by: 'customer' | 'agent' }
  /** The conversation is over: whatever is still unacknowledged will never be delivered. */
  | { type: 'closed'; error: string };

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'transcript': {
      const messages = mergeMessages(state.messages, action.messages);
      return messages === state.messages ? state : { ...state, messages };
    }
    case 'message': {
      if (!isChatMessage(action.message)) return state;
      const messages = mergeMessages(state.messages, [action.message]);
      const outbox = action.clientMsgId ? acknowledge(state.outbox, action.clientMsgId) : state.outbox;
      const redacted = action.redacted?.length ? { ...state.redacted, [action.message.id]: action.redacted } : state.redacted;
      if (messages === state.messages && outbox.length === state.outbox.length && redacted === state.redacted) return state;
      return { ...state, messages, outbox, redacted };
    }
    case 'queued': {
      if (state.outbox.some((i) => i.clientMsgId === action.clientMsgId)) return state;
      return { ...state, outbox: [...state.outbox, newOutboxItem(action.clientMsgId, action.text, action.at)] };
    }
    case 'transmitted':
      return { ...state, outbox: markSent(state.outbox, action.clientMsgId, action.connectionId, action.now) };
    case 'failed': {
      const item = state.outbox.find((i) => i.clientMsgId === action.clientMsgId);
      if (!item) return state; // already acknowledged: a late refusal cannot un-send it
      return { ...state, outbox: markFailed(state.outbox, action.clientMsgId, action.error) };
    }
    case 'retry':
      return { ...state, outbox: retry(state.outbox, action.clientMsgId) };
    case 'discard':
      return { ...state, outbox: state.outbox.filter((i) => i.clientMsgId !== action.clientMsgId || i.status !== 'failed') };
    case 'closed': {
      if (!state.outbox.some((i) => i.status === 'sending')) return state;
      return { ...state, outbox: state.outbox.map((i) => (i.status === 'sending' ? { ...i, status: 'failed' as const, error: action.error } : i)) };
    }
    case 'seen':
      if (action.by !== 'agent' || !Number.isFinite(action.upToSeq) || action.upToSeq <= state.agentReadUpTo) return state;
      return { ...state, agentReadUpTo: action.upToSeq };
  }
}

export type Delivery = 'sending' | 'sent' | 'read' | 'failed';

/** What the customer sees about one of their messages. */
export function deliveryOfMessage(state: Pick<ChatState, 'agentReadUpTo'>, message: ChatMessage): Delivery | null {
  if (message.from !== 'customer') return null;
  return message.seq <= state.agentReadUpTo ? 'read' : 'sent';
}

export interface DisplayItem {
  /** Stable React key: message id, or the clientMsgId while unacknowledged. */
  key: string;
  from: ChatMessage['from'];
  authorName: string;
  text: string;
  at: string;
  seq: number | null;
  delivery: Delivery | null;
  /** Set for outbox items: lets the view offer Retry / Remove on failures. */
  clientMsgId: string | null;
  error: string | null;
  /** Why the server changed this message (it redacted a card number…), or null. */
  redactionNotice: string | null;
}

export const DELIVERY_LABEL: Record<Delivery, string> = {
  sending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
};

/** Confirmed messages in order, then the customer's unacknowledged ones in the order they were written. */
export function displayItems(state: ChatState, customerName: string): DisplayItem[] {
  const items: DisplayItem[] = state.messages.map((m) => ({
    key: m.id,
    from: m.from,
    authorName: m.authorName,
    text: m.text,
    at: m.at,
    seq: m.seq,
    delivery: deliveryOfMessage(state, m),
    clientMsgId: null,
    error: null,
    redactionNotice: state.redacted[m.id] ? redactionNotice(state.redacted[m.id]!) : null,
  }));
  for (const i of state.outbox) {
    items.push({
      key: `out:${i.clientMsgId}`,
      from: 'customer',
      authorName: customerName,
      text: i.text,
      at: i.createdAt,
      seq: null,
      delivery: i.status === 'failed' ? 'failed' : 'sending',
      clientMsgId: i.clientMsgId,
      error: i.error,
      redactionNotice: null,
    });
  }
  return items;
}
