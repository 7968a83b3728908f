import { type ChatMessage } from '../../../shared';
import { type OutboxEntry } from './outbox';

/** Send chat.typing at most this often while the agent keeps typing. */
export const TYPING_SEND_INTERVAL_MS = 3000;
/** Show the customer's typing indicator this long after their last typing frame. */
export const TYPING_SHOW_MS = 5000;

export function shouldSendTyping(lastSentAt: number, now: number, intervalMs = TYPING_SEND_INTERVAL_MS): boolean {
  return now - lastSentAt >= intervalMs;
}

export function isTyping(typingAt: number | null, now: number, showMs = TYPING_SHOW_MS): boolean {
  return typingAt !== null && now - typingAt < showMs;
}

export type Delivery = 'queued' | 'sending' | 'sent' | 'read' | 'failed';

export const DELIVERY_LABELS: Record<Delivery, string> = {
  queued: 'Waiting for connection',
  sending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
};

/** Delivery of an agent message already in the transcript: read once the customer has seen its seq. */
export function deliveryOf(message: ChatMessage, customerSeenUpTo: number): Delivery | null {
  if (message.from !== 'agent') return null;
  return message.seq <= customerSeenUpTo ? 'read' : 'sent';
}

export function outboxDelivery(entry: OutboxEntry): Delivery {
  return entry.state;
}

/** A fresh id for an outgoing message; unique enough to dedup on, never reused. */
export function newClientMsgId(random: () => string = defaultRandom): string {
  return `m-${random()}`;
}

function defaultRandom(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
