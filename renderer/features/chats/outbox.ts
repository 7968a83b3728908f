/* The identity rule (clientMsgId, acknowledged by its echo) is shared with the widget. */
export { acknowledge } from '../../../browser/chat/outbox-core';

/**
 * Messages the agent typed that the server has not acknowledged yet. Each carries a client-made id;
 * the server stores a given id once, so resending after a reconnect can never duplicate a message.
 * A message leaves the outbox when its `chat.message` comes back with the same clientMsgId.
 */

export type OutboxState =
  /** Handed to the socket; waiting for the echo. */
  | 'sending'
  /** Not sent yet because the connection is down; goes out on reconnect. */
  | 'queued'
  /** The server refused it (e.g. the chat ended); kept so the text is not lost. */
  | 'failed';

export interface OutboxEntry {
  clientMsgId: string;
  text: string;
  state: OutboxState;
  /** Epoch ms the agent pressed send. */
  createdAt: number;
  attempts: number;
  error: string | null;
}

export type Outbox = readonly OutboxEntry[];

export function enqueue(outbox: Outbox, entry: { clientMsgId: string; text: string; createdAt: number }, sent: boolean): Outbox {
  return [...outbox, { ...entry, state: sent ? 'sending' : 'queued', attempts: sent ? 1 : 0, error: null }];
}

/** Entries to (re)send after a reconnect, oldest first: everything not refused by the server. */
export function toResend(outbox: Outbox): OutboxEntry[] {
  return outbox.filter((e) => e.state !== 'failed');
}

/** Marks the given ids as handed to the socket again (or queued when the send did not go out). */
export function markSent(outbox: Outbox, clientMsgIds: ReadonlySet<string>, sent: boolean): Outbox {
  if (clientMsgIds.size === 0) return outbox;
  return outbox.map((e) =>
    clientMsgIds.has(e.clientMsgId) ? { ...e, state: sent ? 'sending' : 'queued', attempts: e.attempts + (sent ? 1 : 0), error: null } : e,
  );
}

export function markFailed(outbox: Outbox, clientMsgId: string, error: string): Outbox {
  return outbox.map((e) => (e.clientMsgId === clientMsgId ? { ...e, state: 'failed', error } : e));
}

export function remove(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.filter((e) => e.clientMsgId !== clientMsgId);
}
