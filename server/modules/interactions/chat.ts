import type { RedactionKind } from '../../../shared/api/redaction';
import type { ChatMessage } from '../../../shared/domain/interactions';
import type { MessagesTable } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import { timeOrderedId } from '../../kernel/time-ordered-id';
import { customerPrincipalId } from './customer-tokens';
import type { InteractionService } from './interaction-service';
import type { ChatLog, LiveInteraction } from './live';
import type { Side } from './parties';
import { refuse } from './refuse';
import { toMessage } from './repo';
import { suggestSensitive } from './sensitive-suggest';

/**
 * Chat between the customer and the assigned agent. Messages are numbered per interaction (the
 * numbering kept in memory, loaded once from the database), stored by the group commit, and only
 * once committed acknowledged to the sender and delivered to the other party, in order. A resend
 * with the same clientMsgId is answered with the stored message and stored once. The text is
 * redacted first (card numbers, codes… by the org's policy): only the redacted text is stored,
 * logged, put in the change log or delivered, and the sender's acknowledgement says what was removed.
 */
/** The chat caps (server config: VEILDESK_INTERACTION_MAX_*, VEILDESK_QUEUED_MAX_*). */
export interface ChatLimits {
  interactionMaxMessages: number;
  interactionMaxBytes: number;
  queuedMaxMessages: number;
  queuedMaxBytes: number;
}

/** Nobody has answered yet: queued, or offered and not accepted. */
const isUnanswered = (live: LiveInteraction) => live.status === 'queued' || live.status === 'offered';
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

export class Chat {
  constructor(
    private readonly core: InteractionService,
    private readonly limits: ChatLimits,
  ) {}

  send(principal: Principal, input: { interactionId: string; clientMsgId: string; text: string }): Promise<void> {
    // Its interaction's lane: after that chat's earlier messages, never behind other chats.
    return this.core.runFor(input.interactionId, async () => {
      const { live, side } = await this.core.requireParty(principal, input.interactionId);
      // The customer may write while waiting (the agent sees it on accept); nobody after the end.
      if (live.status === 'wrapup') throw refuse.conflict(`Interaction ${input.interactionId} has ended; the message was not sent.`);

      const log = live.chatLog ?? (live.chatLog = await this.loadLog(live.id, live));
      const usedBy = log.clientMsgIds.get(input.clientMsgId);
      if (usedBy !== undefined) {
        if (usedBy !== side) throw refuse.conflict(`clientMsgId ${input.clientMsgId} is already used in this conversation; send with a new id.`);
        const existing = await this.core.repo.findMessage(input.interactionId, input.clientMsgId);
        if (existing) return this.core.hub.sendTo(principal.id, { type: 'chat.message', interactionId: input.interactionId, message: existing.message, clientMsgId: input.clientMsgId });
      }
      this.checkLimits(live, side, log, Buffer.byteLength(input.text));
      const { text, counts } = this.core.deps.redaction.redact(input.text);
      const row: MessagesTable = {
        // Time-ordered: the new key goes on the last page of the id index and the change log's (fewer pages per commit).
        id: timeOrderedId(),
        interaction_id: live.id,
        seq: log.lastSeq + 1,
        author: side,
        author_name: side === 'agent' ? principal.displayName : live.customerName || 'Customer',
        text,
        client_msg_id: input.clientMsgId,
        at: this.core.now().toISOString(),
      };
      const size = Buffer.byteLength(text);
      const unanswered = side === 'customer' && isUnanswered(live);
      log.lastSeq = row.seq;
      log.clientMsgIds.set(input.clientMsgId, side);
      log.bytes += size;
      if (unanswered) {
        log.unanswered.count++;
        log.unanswered.bytes += size;
      }
      try {
        await this.core.messages.add(row);
      } catch (err) {
        // Not stored: the next message numbers again from what the database holds.
        if (live.chatLog === log) delete live.chatLog;
        throw err;
      }
      this.deliver(live, side, principal.id, toMessage(row), input.clientMsgId, Object.keys(counts) as RedactionKind[]);
      suggestSensitive(this.core, live, text);
    });
  }

  /**
   * The abuse caps: what a customer may send before an agent answers (rate_limited: it lifts when
   * someone answers), and what one interaction may hold in all (payload_too_large: for good).
   */
  private checkLimits(live: LiveInteraction, side: Side, log: ChatLog, size: number): void {
    const l = this.limits;
    if (side === 'customer' && isUnanswered(live) && (log.unanswered.count + 1 > l.queuedMaxMessages || log.unanswered.bytes + size > l.queuedMaxBytes)) {
      throw new DomainError(
        'rate_limited',
        `You can send up to ${l.queuedMaxMessages} messages (${kib(l.queuedMaxBytes)}) before an agent answers; this one was not sent. Wait for the agent, then write again, or leave a message.`,
      );
    }
    if (log.lastSeq + 1 > l.interactionMaxMessages || log.bytes + size > l.interactionMaxBytes) {
      throw new DomainError(
        'payload_too_large',
        `This conversation has reached its limit of ${l.interactionMaxMessages} messages (${kib(l.interactionMaxBytes)}); the message was not sent. End it and start a new one to go on.`,
      );
    }
  }

  private async loadLog(interactionId: string, live: LiveInteraction): Promise<ChatLog> {
    const { lastSeq, clientMsgIds, bytes, customer } = await this.core.repo.chatLog(interactionId);
    // After a restart, a conversation still waiting counts what its customer already sent.
    const unanswered = isUnanswered(live) ? customer : { count: 0, bytes: 0 };
    return { lastSeq, clientMsgIds: new Map(clientMsgIds.map((c) => [c.clientMsgId, c.author])), bytes, unanswered };
  }

  private deliver(live: LiveInteraction, from: Side, senderId: string, message: ChatMessage, clientMsgId: string, redacted: RedactionKind[]): void {
    const frame = { type: 'chat.message' as const, interactionId: live.id, message };
    this.core.hub.sendTo(senderId, { ...frame, clientMsgId, ...(redacted.length ? { redacted } : {}) });
    const other = this.otherParty(live, from);
    if (other) this.core.hub.sendTo(other, frame);
  }

  /** The principal id of the other side, or null while nobody is assigned. */
  private otherParty(live: LiveInteraction, from: Side): string | null {
    if (from === 'agent') return customerPrincipalId(live.id);
    return live.status === 'active' ? live.agentId : null;
  }

  /** Relayed at once (no storage) to the other party while connected. */
  typing(principal: Principal, interactionId: string): Promise<void> | void {
    const { live, side } = this.core.partyOf(principal, interactionId);
    if (!live) return this.core.explainNotLive(principal, interactionId);
    if (live.status !== 'active') return;
    const other = this.otherParty(live, side);
    if (other) this.core.hub.sendTo(other, { type: 'chat.typing', interactionId, from: side });
  }

  /** Read receipt: the sender has shown everything up to upToSeq; relayed to the other party. */
  seen(principal: Principal, interactionId: string, upToSeq: number): Promise<void> | void {
    const { live, side } = this.core.partyOf(principal, interactionId);
    if (!live) return this.core.explainNotLive(principal, interactionId);
    if (live.status !== 'active') return;
    const other = this.otherParty(live, side);
    if (other) this.core.hub.sendTo(other, { type: 'chat.seen', interactionId, upToSeq, by: side });
  }
}
