import type { ChatMessage } from '../../../shared/domain/interactions';
import type { Principal } from '../../ws/principal';
import { customerPrincipalId } from './customer-tokens';
import { refuse, type InteractionService, type Side } from './interaction-service';
import type { LiveInteraction } from './live';

/**
 * Chat between the customer and the assigned agent. Messages are stored with the next sequence
 * number of their interaction and delivered to both parties; a resend with the same clientMsgId is
 * answered with the stored message and stored once. Text is stored and relayed as plain text.
 */
export class Chat {
  constructor(private readonly core: InteractionService) {}

  send(principal: Principal, input: { interactionId: string; clientMsgId: string; text: string }): Promise<void> {
    return this.core.run(async () => {
      const { live, side } = await this.core.requireParty(principal, input.interactionId);
      // The customer may write while waiting (the agent sees it on accept); nobody after the end.
      if (live.status === 'wrapup') throw refuse.conflict(`Interaction ${input.interactionId} has ended; the message was not sent.`);

      const existing = await this.core.repo.findMessage(input.interactionId, input.clientMsgId);
      if (existing) {
        if (existing.author !== side) throw refuse.conflict(`clientMsgId ${input.clientMsgId} is already used in this conversation; send with a new id.`);
        this.core.hub.sendTo(principal.id, { type: 'chat.message', interactionId: input.interactionId, message: existing.message, clientMsgId: input.clientMsgId });
        return;
      }
      const message = await this.core.repo.appendMessage({
        interactionId: input.interactionId,
        author: side,
        authorName: side === 'agent' ? principal.displayName : live.customerName || 'Customer',
        text: input.text,
        clientMsgId: input.clientMsgId,
        at: this.core.now(),
      });
      this.deliver(live, side, principal.id, message, input.clientMsgId);
    });
  }

  private deliver(live: LiveInteraction, from: Side, senderId: string, message: ChatMessage, clientMsgId: string): void {
    const frame = { type: 'chat.message' as const, interactionId: live.id, message };
    this.core.hub.sendTo(senderId, { ...frame, clientMsgId });
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
