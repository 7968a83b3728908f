import type { InteractionSummary } from '../../../shared/domain/interactions';
import type { OfferOutcome } from '../../../shared/domain/offers';
import type { Hub } from '../../kernel/hub';
import type { PresenceService } from '../presence/presence-service';
import type { AgentStatus, RoutingEngine, RoutingOutcome, WithdrawReason } from '../routing';
import type { ChangeRunner } from './change-runner';
import type { LiveInteraction } from './live';
import type { OfferLog } from './offer-log';
import type { InteractionsRepo, TimelineActor } from './repo';

/** The engine's reason for taking an offer back, as the offer's recorded outcome. */
const OFFER_OUTCOME_OF: Record<WithdrawReason, OfferOutcome> = {
  timeout: 'timed_out',
  declined: 'declined',
  customer_left: 'withdrawn',
  unavailable: 'unavailable',
  // A supervisor moved the waiting interaction elsewhere from the board.
  moved: 'withdrawn',
};

/** What routing needs of the service (interaction-service.ts passes itself; typed here so this file does not import it). */
export interface RoutingHost {
  readonly live: ReadonlyMap<string, LiveInteraction>;
  readonly ready: ReadonlySet<string>;
  readonly engine: RoutingEngine;
  readonly repo: InteractionsRepo;
  readonly hub: Hub;
  now(): Date;
  actor(userId: string): Promise<TimelineActor>;
  summary(interactionId: string): Promise<InteractionSummary>;
  refreshWaiting(): void;
  changed(): void;
}

export interface RoutingOutcomesDeps {
  offerLog: OfferLog;
  presence: PresenceService;
  /** Throws unless this node may still write routing decisions (InteractionServiceDeps.fence). */
  fence?: () => void;
}

/**
 * The service's side of the routing engine: what it is told about agents, carrying out what it
 * decided (offers made and taken back, as timeline, offer log, status and frames), and one timer
 * for its next deadline.
 */
export class RoutingOutcomes {
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineAt: number | null = null;

  constructor(
    private readonly host: RoutingHost,
    private readonly changes: ChangeRunner,
    private readonly deps: RoutingOutcomesDeps,
  ) {}

  agentStatus(agentId: string): AgentStatus {
    let inWrapup = false;
    for (const live of this.host.live.values()) if (live.status === 'wrapup' && live.agentId === agentId) inWrapup = true;
    return { available: this.host.ready.has(agentId) && this.deps.presence.get(agentId)?.presence === 'available', inWrapup };
  }

  /** Tells the engine what the agent can take now (presence, connection, wrap-up) and applies the result. */
  async refreshAgent(agentId: string, now: Date): Promise<void> {
    await this.apply(this.host.engine.setAgentStatus(agentId, this.agentStatus(agentId), now.getTime()), now);
  }

  /**
   * Carries out what the engine decided: withdrawn offers (timeline, offer.withdrawn), new offers
   * (status offered, timeline, offer frame), interactions back to queued; then every waiting
   * customer's state line, the offer timer and the board.
   */
  async apply(outcome: RoutingOutcome, now: Date): Promise<void> {
    const { host } = this;
    this.deps.fence?.();
    const touched = new Set<LiveInteraction>();
    for (const w of outcome.withdrawn) {
      const live = host.live.get(w.interactionId);
      if (live?.offer?.agentId === w.agentId) {
        live.offer = null;
        touched.add(live);
      }
      const type = w.reason === 'timeout' ? 'offer_timeout' : w.reason === 'declined' ? 'declined' : 'offer_withdrawn';
      await host.repo.addEvent(w.interactionId, type, now, await host.actor(w.agentId), type === 'offer_withdrawn' ? { reason: w.reason } : {});
      await this.deps.offerLog.ended(w.interactionId, w.agentId, OFFER_OUTCOME_OF[w.reason], now);
      host.hub.sendTo(w.agentId, { type: 'offer.withdrawn', interactionId: w.interactionId, reason: w.reason });
    }
    // The engine's view decides which offers still stand (one outcome can make and end an offer).
    const standing = new Map<string, string>();
    if (outcome.offers.length > 0) {
      for (const a of host.engine.snapshot().agents) if (a.offeredInteractionId) standing.set(a.offeredInteractionId, a.agentId);
    }
    const offers = outcome.offers.filter((o) => standing.get(o.interactionId) === o.agentId && host.live.has(o.interactionId));
    for (const o of offers) {
      const live = host.live.get(o.interactionId)!;
      live.offer = { agentId: o.agentId, expiresAt: o.expiresAt };
      live.status = 'offered';
      touched.add(live);
      await host.repo.addEvent(o.interactionId, 'offered', now, await host.actor(o.agentId), { expiresAt: new Date(o.expiresAt).toISOString() });
      await this.deps.offerLog.opened({ interactionId: o.interactionId, agentId: o.agentId, queueId: o.queueId, at: now });
    }
    for (const live of touched) {
      if (!live.offer && live.status === 'offered') live.status = 'queued';
      if (live.status === 'queued' || live.status === 'offered') await host.repo.update(live.id, { status: live.status });
    }
    for (const o of offers) {
      host.hub.sendTo(o.agentId, { type: 'offer', interaction: await host.summary(o.interactionId), expiresAt: new Date(o.expiresAt).toISOString() });
    }
    host.refreshWaiting();
    this.armDeadline();
    host.changed();
  }

  /** Server shutdown: the deadline timer stops (the change runner refuses new changes). */
  stop(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
  }

  /** One timer for the engine's next deadline (offer expiry or transfer window). */
  private armDeadline(): void {
    const at = this.host.engine.nextDeadline();
    if (at === this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    this.deadlineAt = at;
    if (at === null || this.changes.stopping) return;
    this.deadlineTimer = setTimeout(
      () => {
        this.deadlineTimer = null;
        this.deadlineAt = null;
        void this.changes.background('offer expiry', async () => {
          const now = this.host.now();
          await this.apply(this.host.engine.expireOffers(now.getTime()), now);
        });
      },
      // The server's clock, not the system's: deadlines were computed from it (tests move it).
      Math.max(0, at - this.host.now().getTime()) + 1,
    );
  }
}
