/**
 * The customer's own messages that the server has not acknowledged yet. Each keeps the
 * clientMsgId it was created with: every resend uses the same id, so the server stores it once
 * (exactly-once) and answers a duplicate with the stored message.
 *
 * Rules:
 * - an item is sent on every newly accepted connection it has not been sent on yet (reconnects,
 *   page reloads — the outbox is kept in sessionStorage);
 * - on the same connection it is sent again when no acknowledgement came within ACK_TIMEOUT_MS;
 * - after MAX_ATTEMPTS unanswered sends it is marked failed and waits for the customer's Retry;
 * - a refusal by the server (error frame naming the clientMsgId) fails it at once: resending
 *   the same text would be refused again.
 */

/* The server acknowledged it (chat.message carrying our clientMsgId): it leaves the outbox (the rule both outboxes share). */
export { acknowledge } from '../../browser/chat/outbox-core';

export const ACK_TIMEOUT_MS = 8_000;
export const MAX_ATTEMPTS = 5;

export type OutboxStatus = 'sending' | 'failed';

export interface OutboxItem {
  clientMsgId: string;
  text: string;
  /** ISO time the customer pressed send. */
  createdAt: string;
  status: OutboxStatus;
  /** Why it failed, in words for the customer. */
  error: string | null;
  /** Transmissions so far (reset by a manual retry). */
  attempts: number;
  /** Epoch ms of the last transmission, null when never sent. */
  lastSentAt: number | null;
  /** Which accepted connection carried the last transmission (the connection counter). */
  sentOnConnection: number | null;
}

export function newOutboxItem(clientMsgId: string, text: string, createdAt: string): OutboxItem {
  return { clientMsgId, text, createdAt, status: 'sending', error: null, attempts: 0, lastSentAt: null, sentOnConnection: null };
}

export interface OutboxPlan {
  /** Items to transmit now, oldest first. */
  send: OutboxItem[];
  /** Items to mark failed: every attempt went unanswered. */
  giveUp: OutboxItem[];
}

/**
 * What to do with the outbox now. `connectionId` is the current accepted connection, or null
 * while disconnected (then nothing is sent and nothing gives up: an outage is not the message's fault).
 */
export function planOutbox(outbox: readonly OutboxItem[], connectionId: number | null, now: number): OutboxPlan {
  const plan: OutboxPlan = { send: [], giveUp: [] };
  if (connectionId === null) return plan;
  for (const item of outbox) {
    if (item.status !== 'sending') continue;
    const neverOnThisConnection = item.sentOnConnection !== connectionId || item.lastSentAt === null;
    const timedOut = item.lastSentAt !== null && now - item.lastSentAt >= ACK_TIMEOUT_MS;
    if (!neverOnThisConnection && !timedOut) continue;
    if (item.attempts >= MAX_ATTEMPTS) plan.giveUp.push(item);
    else plan.send.push(item);
  }
  return plan;
}

/** Records a transmission. */
export function markSent(outbox: readonly OutboxItem[], clientMsgId: string, connectionId: number, now: number): OutboxItem[] {
  return outbox.map((i) => (i.clientMsgId === clientMsgId ? { ...i, attempts: i.attempts + 1, lastSentAt: now, sentOnConnection: connectionId } : i));
}

export function markFailed(outbox: readonly OutboxItem[], clientMsgId: string, error: string): OutboxItem[] {
  return outbox.map((i) => (i.clientMsgId === clientMsgId ? { ...i, status: 'failed' as const, error } : i));
}

/** The customer pressed Retry: same clientMsgId, a fresh set of attempts. */
export function retry(outbox: readonly OutboxItem[], clientMsgId: string): OutboxItem[] {
  return outbox.map((i) =>
    i.clientMsgId === clientMsgId ? { ...i, status: 'sending' as const, error: null, attempts: 0, lastSentAt: null, sentOnConnection: null } : i,
  );
}

/** Earliest time (epoch ms) an in-flight item may need a resend, or null when nothing is waiting. */
export function nextResendAt(outbox: readonly OutboxItem[]): number | null {
  let next: number | null = null;
  for (const i of outbox) {
    if (i.status !== 'sending' || i.lastSentAt === null) continue;
    const at = i.lastSentAt + ACK_TIMEOUT_MS;
    if (next === null || at < next) next = at;
  }
  return next;
}

/** Checks an outbox read back from storage, dropping anything malformed. */
export function reviveOutbox(value: unknown): OutboxItem[] {
  if (!Array.isArray(value)) return [];
  const items: OutboxItem[] = [];
  for (const v of value) {
    if (typeof v !== 'object' || v === null) continue;
    const r = v as Record<string, unknown>;
    if (typeof r.clientMsgId !== 'string' || typeof r.text !== 'string' || typeof r.createdAt !== 'string') continue;
    const item = newOutboxItem(r.clientMsgId, r.text, r.createdAt);
    // A stored failure stays failed; anything else is retried on the next connection.
    if (r.status === 'failed') items.push({ ...item, status: 'failed', error: typeof r.error === 'string' ? r.error : 'it was not delivered.' });
    else items.push(item);
  }
  return items;
}
