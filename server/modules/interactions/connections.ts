import { PROTOCOL_VERSION } from '../../../shared/version';
import type { ClientLink } from '../../kernel/client-link';
import type { Principal } from '../../kernel/principal';
import type { PresenceService } from '../presence/presence-service';
import type { BoardPublisher } from './board';
import type { Consults } from './consult';
import type { InteractionService } from './interaction-service';
import type { Wrapups } from './wrapup';

/**
 * Follows connections and presence: what a newcomer is sent after hello (customers their
 * conversation and state, agents everything open of theirs, supervisors the board), customers
 * coming and going, and agents' availability for offers.
 */
export class ConnectionHooks {
  private readonly customerSockets = new Map<string, number>();

  constructor(
    private readonly core: InteractionService,
    private readonly wrapups: Wrapups,
    private readonly board: BoardPublisher,
    private readonly consults: Pick<Consults, 'reconnected'>,
    private readonly hello: { serverVersion: string; heartbeatMs: number },
  ) {}

  /** Presence feeds routing: available (and said hello) takes offers; offline forgets the hello. */
  wirePresence(presence: PresenceService): void {
    presence.onChange((entry) => {
      if (entry.role !== 'agent') return;
      void this.core.background('presence change', async () => {
        if (entry.presence === 'offline') this.core.ready.delete(entry.userId);
        await this.core.refreshAgent(entry.userId, this.core.now());
        // Members signing in or out turn waiting customers' "no agents" on or off.
        this.core.refreshWaiting();
        this.core.changed();
      });
    });
  }

  /**
   * After hello (hello.ok for staff): runs in turn with every change, so nothing slips in between.
   * A customer's hello concerns one interaction: it runs in that interaction's lane (after its
   * earlier messages, before its later ones), not alone, so a reconnect storm of thousands of
   * customers does not stop every chat while each hello waits its turn. A hello whose socket closed
   * while it waited (the client gave up and is trying again) is skipped: under such a storm, doing
   * that work anyway kept the queue longer than the clients' patience, and nobody got back in.
   */
  async onAuthenticated(principal: Principal, connection: ClientLink): Promise<void> {
    if (principal.role === 'customer' && principal.interactionId) {
      const count = (this.customerSockets.get(principal.id) ?? 0) + 1;
      this.customerSockets.set(principal.id, count);
      const interactionId = principal.interactionId;
      await this.core.backgroundFor(interactionId, 'customer hello', () => (connection.isOpen() ? this.customerConnected(interactionId, connection, count === 1) : undefined));
    } else if (principal.role === 'agent') {
      // Three steps, so the parts that run alone stay short: which interactions are open (alone),
      // each one's state read in its own lane and sent in order, then offers, consult and routing
      // (alone). Before, one step read every chat while every chat waited: 500 agents back at once
      // after a node died kept the last one out ~15 s.
      const open: string[] = [];
      await this.core.background('agent hello', () => (connection.isOpen() ? this.agentOpenInteractions(principal, open) : undefined));
      for (const id of open) await this.core.backgroundFor(id, 'agent hello', () => this.sendOpened(principal, connection, id));
      await this.core.background('agent hello', () => (connection.isOpen() ? this.agentConnected(principal, connection) : undefined));
    } else if (principal.role === 'supervisor' || principal.role === 'admin') {
      connection.send(await this.board.frameFor(principal));
    }
  }

  onDisconnected(principal: Principal): void {
    if (principal.role !== 'customer' || !principal.interactionId) return;
    const count = Math.max(0, (this.customerSockets.get(principal.id) ?? 1) - 1);
    if (count > 0) return void this.customerSockets.set(principal.id, count);
    this.customerSockets.delete(principal.id);
    const interactionId = principal.interactionId;
    void this.core.backgroundFor(interactionId, 'customer disconnect', async () => {
      const live = this.core.live.get(interactionId);
      if (!live || this.core.customerConnected(interactionId)) return;
      // Queued: gone for good after customerGoneMs. Connected: only a blip so far; the agent is told.
      this.core.watchCustomer(live);
      if (live.status === 'active') await this.core.sendUpdated(interactionId, live.agentId);
    });
  }

  private async customerConnected(interactionId: string, connection: ClientLink, first: boolean): Promise<void> {
    const live = this.core.live.get(interactionId);
    const row = live ? null : await this.core.repo.get(interactionId);
    const kind = live?.kind ?? row?.kind;
    if (kind !== 'chat' && kind !== 'call') return;
    connection.send({
      type: 'hello.customer',
      protocol: PROTOCOL_VERSION,
      serverVersion: this.hello.serverVersion,
      heartbeatMs: this.hello.heartbeatMs,
      interactionId,
      kind,
      messages: await this.core.repo.messages(interactionId),
    });
    if (!live) return connection.send({ type: 'customer.state', interactionId, state: 'ended' });
    this.core.customerBack(live);
    connection.send(this.core.customerState(live));
    if (first && live.status === 'active') await this.core.sendUpdated(interactionId, live.agentId);
  }

  /** The agent said hello: ready for offers; names its open interactions (read after, each in its lane). */
  private agentOpenInteractions(principal: Principal, open: string[]): void {
    this.core.ready.add(principal.id);
    for (const live of this.core.live.values()) {
      if (live.agentId === principal.id && (live.status === 'active' || live.status === 'wrapup')) open.push(live.id);
    }
  }

  /** A reload loses nothing: after the open interactions (sendOpened), the pending offer and a consult in progress are sent again. */
  private async agentConnected(principal: Principal, connection: ClientLink): Promise<void> {
    for (const live of [...this.core.live.values()]) {
      const isOpen = live.agentId === principal.id && (live.status === 'active' || live.status === 'wrapup');
      if (!isOpen && live.offer?.agentId === principal.id) {
        connection.send({ type: 'offer', interaction: await this.core.summary(live.id), expiresAt: new Date(live.offer.expiresAt).toISOString() });
      }
    }
    this.consults.reconnected(principal.id, connection);
    await this.core.refreshAgent(principal.id, this.core.now());
    this.core.changed();
  }

  /** In the interaction's lane: after its earlier messages, before its later ones; skipped if it moved on meanwhile. */
  private async sendOpened(principal: Principal, connection: ClientLink, interactionId: string): Promise<void> {
    const live = this.core.live.get(interactionId);
    if (!connection.isOpen() || !live || live.agentId !== principal.id || (live.status !== 'active' && live.status !== 'wrapup')) return;
    connection.send({ type: 'interaction.opened', interaction: await this.core.detail(interactionId) });
    if (live.status === 'wrapup' && live.wrapup) connection.send(this.wrapups.requiredFrame(live));
  }
}
