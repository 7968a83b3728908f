import { type ChatMessage } from '../../../shared';

/* Merging and the last seq are shared with the widget: browser/chat/transcript.ts. */

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
