import type { ChatMessage } from '../../shared/domain/interactions';

/**
 * Transcript bookkeeping for both sides of a chat (the agent app and the customer widget). The
 * server numbers messages 1, 2, 3… per interaction; that sequence is the only order both sides
 * agree on, so every merge keys on it.
 */

/**
 * Merges messages into a transcript: one entry per server `seq` and per message `id`, ordered by
 * `seq`. Used for the transcript replayed after a reconnect (which repeats what we already show)
 * and for each chat.message. When the server sends a message again, its latest copy wins.
 * Returns `current` itself when nothing changed, so selectors and views can skip work.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  if (incoming.length === 0) return current;
  // Fast path: one new message after the last one, the common live case.
  const single = incoming.length === 1 ? incoming[0] : undefined;
  const last = current.at(-1);
  if (single && isChatMessage(single) && (!last || single.seq > last.seq) && !current.some((m) => m.id === single.id)) return [...current, single];
  const bySeq = new Map<number, ChatMessage>();
  const seqById = new Map<string, number>();
  let changed = false;
  const put = (m: ChatMessage, isIncoming: boolean): void => {
    const oldSeq = seqById.get(m.id);
    const atSeq = bySeq.get(m.seq);
    if (isIncoming && !(atSeq && sameMessage(atSeq, m))) changed = true;
    // Same id under another seq (should not happen): keep only the newest placement.
    if (oldSeq !== undefined && oldSeq !== m.seq) bySeq.delete(oldSeq);
    if (atSeq && atSeq.id !== m.id) seqById.delete(atSeq.id);
    bySeq.set(m.seq, m);
    seqById.set(m.id, m.seq);
  };
  for (const m of current) put(m, false);
  for (const m of incoming) if (isChatMessage(m)) put(m, true);
  if (!changed) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return a.id === b.id && a.seq === b.seq && a.text === b.text && a.from === b.from && a.authorName === b.authorName && a.at === b.at;
}

/** Light shape check: frames come from our own server, but a bad entry must not break the view. */
export function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    typeof m.seq === 'number' &&
    Number.isInteger(m.seq) &&
    m.seq >= 1 &&
    typeof m.text === 'string' &&
    typeof m.authorName === 'string' &&
    typeof m.at === 'string' &&
    (m.from === 'customer' || m.from === 'agent' || m.from === 'system')
  );
}

/** Highest seq in a transcript, 0 when empty. */
export function lastSeq(messages: readonly ChatMessage[]): number {
  return messages.length === 0 ? 0 : (messages[messages.length - 1]?.seq ?? 0);
}
