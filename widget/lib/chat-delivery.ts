import type { ChatAction } from './chat-state';
import type { ConnectionLike } from './connection';
import { nextResendAt, planOutbox } from './outbox';
import type { SnapshotStore } from './snapshot';
import { AGENT_TYPING_SHOWN_MS, createTypingThrottle } from './typing';
import type { ServerMessageOf } from './types';

/**
 * What goes over the socket for the chat besides the conversation's start and end: the outbox
 * (sent on every accepted connection, resent on a missing acknowledgement, see outbox.ts), read
 * receipts (chat.seen), our typing notices and the agent's "is typing" line.
 */

export interface ChatContext {
  store: SnapshotStore;
  connection(): ConnectionLike | null;
  dispatch(action: ChatAction): void;
  /** The conversation ended or cannot continue. */
  isOver(): boolean;
  now(): number;
}

export class ChatDelivery {
  private readonly typingThrottle = createTypingThrottle();
  private agentTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  private displayedUpTo = 0;
  private seenSentUpTo = 0;

  constructor(private readonly ctx: ChatContext) {}

  /** Call on every keystroke: at most one chat.typing per 2 s goes out. */
  typing(): void {
    const session = this.ctx.store.snapshot.session;
    const connection = this.ctx.connection();
    if (!session || !connection || connection.currentConnectionId === null || this.ctx.isOver()) return;
    if (!this.typingThrottle(this.ctx.now())) return;
    connection.send({ type: 'chat.typing', interactionId: session.interactionId });
  }

  /** The view has shown every message up to `upToSeq` to the customer (page visible). */
  displayed(upToSeq: number): void {
    if (upToSeq > this.displayedUpTo) this.displayedUpTo = upToSeq;
    this.flushSeen();
  }

  /** Sends what the outbox plan says is due now, and arms the timer for the next resend. */
  flushOutbox(): void {
    const session = this.ctx.store.snapshot.session;
    const connection = this.ctx.connection();
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    if (!session || !connection) return;
    const connectionId = connection.currentConnectionId;
    const now = this.ctx.now();
    const plan = planOutbox(this.ctx.store.snapshot.chat.outbox, connectionId, now);
    for (const item of plan.giveUp) {
      this.ctx.dispatch({ type: 'failed', clientMsgId: item.clientMsgId, error: 'no answer from the server. Check your connection, then press Retry.' });
    }
    for (const item of plan.send) {
      if (connectionId === null) break;
      const ok = connection.send({ type: 'chat.send', interactionId: session.interactionId, clientMsgId: item.clientMsgId, text: item.text, id: item.clientMsgId });
      if (!ok) break; // the socket went away: the next accepted connection sends the rest
      this.ctx.dispatch({ type: 'transmitted', clientMsgId: item.clientMsgId, connectionId, now });
    }
    const next = nextResendAt(this.ctx.store.snapshot.chat.outbox);
    if (next !== null) this.resendTimer = setTimeout(() => this.flushOutbox(), Math.max(0, next - this.ctx.now()) + 10);
  }

  /** A read receipt the previous socket could not carry, or a newer one. */
  flushSeen(): void {
    const session = this.ctx.store.snapshot.session;
    const connection = this.ctx.connection();
    if (!session || !connection || this.displayedUpTo <= this.seenSentUpTo || this.ctx.isOver()) return;
    if (connection.send({ type: 'chat.seen', interactionId: session.interactionId, upToSeq: this.displayedUpTo })) this.seenSentUpTo = this.displayedUpTo;
  }

  setAgentTyping(on: boolean): void {
    if (this.agentTypingTimer) clearTimeout(this.agentTypingTimer);
    this.agentTypingTimer = null;
    if (on) this.agentTypingTimer = setTimeout(() => this.ctx.store.set({ agentTyping: false }), AGENT_TYPING_SHOWN_MS);
    if (this.ctx.store.snapshot.agentTyping !== on) this.ctx.store.set({ agentTyping: on });
  }

  /** The chat frames from the agent's side: messages (our acknowledgements too), typing, read receipts. */
  receive(frame: ServerMessageOf<'chat.message'> | ServerMessageOf<'chat.typing'> | ServerMessageOf<'chat.seen'>): void {
    switch (frame.type) {
      case 'chat.message':
        this.ctx.dispatch(
          frame.clientMsgId
            ? { type: 'message', message: frame.message, clientMsgId: frame.clientMsgId, ...(Array.isArray(frame.redacted) ? { redacted: frame.redacted } : {}) }
            : { type: 'message', message: frame.message },
        );
        if (frame.message?.from === 'agent') this.setAgentTyping(false);
        return;
      case 'chat.typing':
        if (frame.from === 'agent') this.setAgentTyping(true);
        return;
      case 'chat.seen':
        this.ctx.dispatch({ type: 'seen', upToSeq: frame.upToSeq, by: frame.by });
        return;
    }
  }

  /** A new conversation: nothing displayed or receipted yet. */
  restart(): void {
    this.displayedUpTo = 0;
    this.seenSentUpTo = 0;
  }

  /** Stops the timers and forgets the receipts (the conversation is left). */
  reset(): void {
    for (const t of [this.agentTypingTimer, this.resendTimer]) if (t) clearTimeout(t);
    this.agentTypingTimer = this.resendTimer = null;
    this.restart();
  }
}
