import { type ChatMessage } from '../../../shared';

/**
 * Transcript bookkeeping. The server numbers messages 1, 2, 3… per interaction; that sequence is
 * the only order and the only identity both sides agree on, so every merge keys on it.
 */

/**
 * Adds `incoming` to `existing`, sorted by seq, one message per seq (a later copy of the same seq
 * wins, e.g. from a fresh transcript after a reconnect). Returns `existing` itself when nothing
 * changed, so selectors and React can skip work.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  if (incoming.length === 0) return existing;
  // Fast path: one new message after the last one, the common live case.
  const last = existing.at(-1);
  if (incoming.length === 1 && incoming[0] && (!last || incoming[0].seq > last.seq)) return [...existing, incoming[0]];

  const bySeq = new Map<number, ChatMessage>();
  for (const message of existing) bySeq.set(message.seq, message);
  let changed = false;
  for (const message of incoming) {
    const current = bySeq.get(message.seq);
    if (current && sameMessage(current, message)) continue;
    bySeq.set(message.seq, message);
    changed = true;
  }
  if (!changed) return existing;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return a.id === b.id && a.text === b.text && a.from === b.from && a.authorName === b.authorName && a.at === b.at;
}

export function maxSeq(messages: readonly ChatMessage[]): number {
  return messages.at(-1)?.seq ?? 0;
}

/** Customer messages the agent has not been shown yet. */
export function unreadCount(messages: readonly ChatMessage[], seenUpTo: number): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (!message || message.seq <= seenUpTo) break;
    if (message.from === 'customer') count += 1;
  }
  return count;
}
