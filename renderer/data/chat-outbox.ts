import { sealContext } from './apply-changes';
import { type FieldCipher } from './crypto/field-cipher';
import { type LocalDb } from './db';
import { type ChatOutboxRow } from './records';

/**
 * The agent's chat messages in the durable local outbox: stored (text sealed) before the socket
 * sends them, removed only when the server's echo acknowledges their clientMsgId (or the agent
 * discards a refused one). After a reload they are read back and resent under the same id; the
 * server stores an id once, so a message sent before the reload is never doubled.
 */

export interface ChatOutboxDeps {
  db: LocalDb;
  cipher: FieldCipher;
}

export interface PendingChatMessage {
  clientMsgId: string;
  interactionId: string;
  text: string;
  createdAt: number;
}

export async function storeChatMessage(deps: ChatOutboxDeps, message: PendingChatMessage): Promise<void> {
  const row: ChatOutboxRow = {
    clientMsgId: message.clientMsgId,
    interactionId: message.interactionId,
    createdAt: message.createdAt,
    sealed: await deps.cipher.seal({ text: message.text }, sealContext.chatOutbox(message.clientMsgId)),
  };
  await deps.db.chatOutbox.put(row);
}

export async function dropChatMessage(deps: Pick<ChatOutboxDeps, 'db'>, clientMsgId: string): Promise<void> {
  await deps.db.chatOutbox.delete(clientMsgId);
}

/** An interaction's waiting messages, oldest first, unsealed. */
export async function pendingChatMessages(deps: ChatOutboxDeps, interactionId: string): Promise<PendingChatMessage[]> {
  const rows = await deps.db.chatOutbox.where('interactionId').equals(interactionId).toArray();
  rows.sort((a, b) => a.createdAt - b.createdAt);
  return Promise.all(
    rows.map(async (r) => {
      const { text } = await deps.cipher.open<{ text: string }>(r.sealed, sealContext.chatOutbox(r.clientMsgId));
      return { clientMsgId: r.clientMsgId, interactionId: r.interactionId, text, createdAt: r.createdAt };
    }),
  );
}
