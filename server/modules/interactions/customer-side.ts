import type { ServerMessageOf } from '../../../shared/api/ws';
import type { Queue } from '../../../shared/domain/interactions';
import type { Hub } from '../../kernel/hub';
import type { PresenceService } from '../presence/presence-service';
import type { RoutingEngine } from '../routing';
import type { ChangeRunner } from './change-runner';
import { customerPrincipalId } from './customer-tokens';
import type { LiveInteraction } from './live';

export type CustomerStateFrame = ServerMessageOf<'customer.state'>;

/** What the customer's side needs of the service (interaction-service.ts passes itself; typed here so this file does not import it). */
export interface CustomerSideHost {
  readonly live: ReadonlyMap<string, LiveInteraction>;
  readonly queues: ReadonlyMap<string, Queue>;
  readonly engine: RoutingEngine;
  readonly hub: Hub;
  now(): Date;
  displayName(userId: string): string;
  /** Called when a queued customer's gone timer fires (set by the ending feature). */
  customerGone(interactionId: string): void;
}

export interface CustomerSideDeps {
  presence: PresenceService;
  customerGoneMs: number;
}

/**
 * The customer's side of an interaction in progress: their state line (waiting with position and
 * estimated wait, no agents, ringing, connected, on hold, ended), sent only when it changed, and
 * whether they are connected, and the timer that treats a waiting customer without a connection as gone.
 */
export class CustomerSide {
  constructor(
    private readonly host: CustomerSideHost,
    private readonly changes: ChangeRunner,
    private readonly deps: CustomerSideDeps,
  ) {}

  customerConnected(interactionId: string): boolean {
    return this.host.hub.isConnected(customerPrincipalId(interactionId));
  }

  /** Whether any member of the queue is signed in (presence other than offline). */
  membersSignedIn(queueId: string): number {
    const queue = this.host.queues.get(queueId);
    return (queue?.memberIds ?? []).filter((id) => (this.deps.presence.get(id)?.presence ?? 'offline') !== 'offline').length;
  }

  membersAvailable(queueId: string): number {
    const queue = this.host.queues.get(queueId);
    return (queue?.memberIds ?? []).filter((id) => this.deps.presence.get(id)?.presence === 'available').length;
  }

  customerState(live: LiveInteraction): CustomerStateFrame {
    const { engine } = this.host;
    const base = { type: 'customer.state' as const, interactionId: live.id };
    switch (live.status) {
      case 'queued':
      case 'offered': {
        const position = engine.position(live.id) ?? undefined;
        const leave = live.leaveMessageOffered ? { leaveMessage: true } : {};
        if (live.status === 'offered') return { ...base, state: 'ringing', ...(position ? { position } : {}), ...leave };
        if (this.membersSignedIn(live.queueId) === 0) return { ...base, state: 'no_agents', ...(position ? { position } : {}), ...leave };
        const eta = engine.estimatedWaitSeconds(live.id, this.host.now().getTime());
        return { ...base, state: 'waiting', ...(position ? { position } : {}), ...(eta !== null ? { estimatedWaitSeconds: Math.round(eta) } : {}), ...leave };
      }
      case 'active':
        return { ...base, state: live.onHold ? 'on_hold' : 'connected', agentName: this.host.displayName(live.agentId ?? '') };
      case 'wrapup':
        return { ...base, state: 'ended' };
    }
  }

  /** Sends the customer's state line when it changed (state, position or agent); `force` re-sends it. */
  pushCustomerState(live: LiveInteraction, force = false): void {
    const frame = this.customerState(live);
    const key = `${frame.state}:${frame.position ?? ''}:${frame.agentName ?? ''}:${frame.leaveMessage ? 'leave' : ''}`;
    if (!force && key === live.lastCustomerState) return;
    live.lastCustomerState = key;
    this.host.hub.sendTo(customerPrincipalId(live.id), frame);
  }

  /** Every waiting customer's state line (positions move whenever the queue does). */
  refreshWaiting(): void {
    for (const live of this.host.live.values()) if (live.status === 'queued' || live.status === 'offered') this.pushCustomerState(live);
  }

  /** A queued customer without a connection abandons once customerGoneMs pass without one. */
  watchCustomer(live: LiveInteraction): void {
    if (live.goneTimer || this.changes.stopping || this.customerConnected(live.id)) return;
    if (live.status !== 'queued' && live.status !== 'offered') return;
    live.goneTimer = setTimeout(() => {
      live.goneTimer = null;
      this.host.customerGone(live.id);
    }, this.deps.customerGoneMs);
  }

  customerBack(live: LiveInteraction): void {
    if (live.goneTimer) clearTimeout(live.goneTimer);
    live.goneTimer = null;
  }
}
