import type { Principal } from '../../kernel/principal';
import { customerPrincipalId } from './customer-tokens';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';

/**
 * WebRTC calls: signalling relayed untouched, and only between the customer and the assigned agent
 * of a connected call; hold (agent) and mute (either side) are recorded on the timeline.
 */
export class Calls {
  constructor(private readonly core: InteractionService) {}

  /** Relayed in arrival order without waiting on anything (an SDP offer before its candidates). */
  signal(principal: Principal, interactionId: string, signal: Record<string, unknown>): Promise<void> | void {
    const { live, side } = this.core.partyOf(principal, interactionId);
    if (!live) return this.core.explainNotLive(principal, interactionId);
    this.requireConnectedCall(live);
    const to = side === 'customer' ? live.agentId : customerPrincipalId(interactionId);
    if (to) this.core.hub.sendTo(to, { type: 'call.signal', interactionId, signal });
  }

  hold(principal: Principal, interactionId: string, held: boolean): Promise<void> {
    return this.core.run(async () => {
      const { live } = await this.core.requireParty(principal, interactionId);
      this.requireConnectedCall(live);
      if (live.onHold !== held) {
        const now = this.core.now();
        live.onHold = held;
        await this.core.repo.update(interactionId, { on_hold: held ? 1 : 0 });
        await this.core.repo.addEvent(interactionId, held ? 'held' : 'resumed', now, await this.core.actor(principal.id));
        this.core.pushCustomerState(live);
        this.core.changed();
      }
      // Also the answer to a repeated hold: the agent's copy says where it stands.
      await this.core.sendUpdated(interactionId, live.agentId);
    });
  }

  mute(principal: Principal, interactionId: string, muted: boolean): Promise<void> {
    return this.core.run(async () => {
      const { live, side } = await this.core.requireParty(principal, interactionId);
      this.requireConnectedCall(live);
      const actor = side === 'agent' ? await this.core.actor(principal.id) : null;
      await this.core.repo.addEvent(interactionId, muted ? 'muted' : 'unmuted', this.core.now(), actor, { by: side });
    });
  }

  private requireConnectedCall(live: LiveInteraction): void {
    if (live.kind !== 'call') throw refuse.conflict(`Interaction ${live.id} is a chat, not a call.`);
    if (live.status !== 'active') {
      const state = live.status === 'wrapup' ? 'has ended' : 'is not connected yet';
      throw refuse.conflict(`Call ${live.id} ${state}; signalling, hold and mute need a connected call.`);
    }
  }
}
