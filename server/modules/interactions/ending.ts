import type { Principal } from '../../kernel/principal';
import { AuditAction } from '../audit/actions';
import type { ChildProtection } from './child-protection';
import { customerPrincipalId } from './customer-tokens';
import type { InteractionService } from './interaction-service';
import type { LiveInteraction } from './live';
import { refuse } from './refuse';
import type { Wrapups } from './wrapup';

/**
 * Hanging up a call or ending a chat (either party), and customers who leave before anyone
 * answered: by ending it themselves, or by staying disconnected for customerGoneMs.
 */
export class Ending {
  constructor(
    private readonly core: InteractionService,
    private readonly wrapups: Wrapups,
    private readonly childProtection: ChildProtection,
  ) {
    core.customerGone = (id) => void core.background('abandon', () => this.abandonIfGone(id));
  }

  end(principal: Principal, interactionId: string): Promise<void> {
    return this.core.run(async () => {
      const { live, side } = await this.core.requireParty(principal, interactionId);
      const now = this.core.now();
      if (live.status === 'wrapup') throw refuse.conflict(`Interaction ${interactionId} has already ended.`);
      if (live.status === 'active') return this.finish(live, side, now);
      // Queued or offered: only its customer is a party (an agent is assigned only once active).
      await this.abandon(live, 'customer_ended', now);
    });
  }

  /** An answered interaction ends: status wrapup, the customer is told, the agent owes a wrap-up. */
  async finish(live: LiveInteraction, by: 'agent' | 'customer' | 'system', now: Date, details: Record<string, unknown> = {}): Promise<void> {
    const agentId = live.agentId;
    live.status = 'wrapup';
    live.onHold = false;
    await this.core.repo.update(live.id, { status: 'wrapup', ended_at: now.toISOString(), on_hold: 0 });
    const actor = by === 'agent' && agentId ? await this.core.actor(agentId) : null;
    await this.core.repo.addEvent(live.id, 'ended', now, actor, { by, ...details });
    await this.core.deps.audit.append({ actor, action: AuditAction.interactionEnded, target: live.id, details: { interactionId: live.id, by, status: 'wrapup', ...details } });
    this.core.pushCustomerState(live);
    const ended = { type: 'ended', interactionId: live.id, agentId, at: now } as const;
    await (live.kind === 'call' ? this.core.notifyCall(ended) : this.core.notifyChat(ended));
    await this.childProtection.ended(live.id, 'wrapup', now);
    if (!agentId) return this.wrapupless(live, now);
    await this.core.sendUpdated(live.id, agentId);
    this.wrapups.begin(live, agentId, now);
    // Wrap-up starts in the same step as the release, so the freed capacity is not offered first.
    await this.core.apply(this.core.engine.release(live.id, now.getTime(), { wrapup: true }), now);
    await this.core.refreshAgent(agentId, now);
  }

  /** Defensive: an interaction that ended without an agent has nothing to wrap up. */
  private async wrapupless(live: LiveInteraction, now: Date): Promise<void> {
    this.core.forget(live);
    await this.core.repo.update(live.id, { status: 'closed' });
    await this.childProtection.ended(live.id, 'closed', now);
    await this.core.apply(this.core.engine.remove(live.id, now.getTime()), now);
  }

  /** The customer left before an agent answered: abandoned, taken out of routing. */
  async abandon(live: LiveInteraction, reason: 'customer_ended' | 'customer_gone', now: Date): Promise<void> {
    this.core.forget(live);
    await this.core.repo.update(live.id, { status: 'abandoned', ended_at: now.toISOString() });
    await this.childProtection.ended(live.id, 'closed', now);
    // A pending offer is withdrawn ('customer_left') first; 'abandoned' closes the timeline.
    await this.core.apply(this.core.engine.remove(live.id, now.getTime()), now);
    await this.core.repo.addEvent(live.id, 'abandoned', now, null, { reason });
    await this.core.deps.audit.append({ actor: null, action: AuditAction.interactionEnded, target: live.id, details: { interactionId: live.id, by: 'customer', status: 'abandoned', reason } });
    this.core.hub.sendTo(customerPrincipalId(live.id), { type: 'customer.state', interactionId: live.id, state: 'ended' });
  }

  private async abandonIfGone(interactionId: string): Promise<void> {
    const live = this.core.live.get(interactionId);
    if (!live || this.core.customerConnected(interactionId)) return;
    if (live.status !== 'queued' && live.status !== 'offered') return;
    await this.abandon(live, 'customer_gone', this.core.now());
  }
}
