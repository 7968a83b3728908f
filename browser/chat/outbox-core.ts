/**
 * What the two chat outboxes share: the agent's (renderer/features/chats/outbox.ts: in memory,
 * resends everything on reconnect) and the customer's (widget/lib/outbox.ts: kept in
 * sessionStorage, resends per connection and after an acknowledgement timeout, gives up after a
 * few tries). Their resend rules differ; the identity rule is the same: a message keeps the
 * client-made id it was created with, every resend reuses it (the server stores an id once), and
 * the chat.message echo carrying that id acknowledges it.
 */

/** Removes the acknowledged entry; returns the same outbox when the id is not ours (e.g. another window's). */
export function acknowledge<T extends { clientMsgId: string }>(outbox: readonly T[], clientMsgId: string): readonly T[] {
  return outbox.some((e) => e.clientMsgId === clientMsgId) ? outbox.filter((e) => e.clientMsgId !== clientMsgId) : outbox;
}
