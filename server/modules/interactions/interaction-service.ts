import type { ServerMessageOf } from '../../../shared/api/ws';
import type { Redaction } from '../redaction/redaction-service';
import type { SensitiveKeywordMatcher } from '../sensitive-keywords/matcher';
import type { InteractionDetail, InteractionSummary, Queue } from '../../../shared/domain/interactions';
import type { Hub } from '../../kernel/hub';
import { DomainError } from '../../kernel/errors';
import type { Principal } from '../../kernel/principal';
import type { AuditLog } from '../audit/audit-log';
import type { PresenceService } from '../presence/presence-service';
import type { OfferOutcome } from '../../../shared/domain/offers';
import { DEFAULT_ROUTING_CONFIG, RoutingEngine, type AgentStatus, type RoutingOutcome, type WithdrawReason } from '../routing';
import type { UsersRepo } from '../users/users-repo';
import { SensitiveAccess } from './sensitive';
import { customerPrincipalId } from './customer-tokens';
import type { MessagesTable } from '../../db/schema';
import { ChangeLanes } from './change-lanes';
import { GroupCommit } from './group-commit';
import type { LiveInteraction } from './live';
import type { OfferLog } from './offer-log';
import type { QueuesRepo } from './queues-repo';
import type { InteractionsRepo, TimelineActor } from './repo';
import { buildDetail } from './timeline';

export type CustomerStateFrame = ServerMessageOf<'customer.state'>;

/** A call's lifecycle, for features that follow calls (recordings). Observers run inside the change. */
export type CallLifecycleEvent =
  | { type: 'connected'; interactionId: string; agentId: string; at: Date }
  | { type: 'ended'; interactionId: string; agentId: string | null; at: Date }
  | { type: 'transferred'; interactionId: string; fromAgentId: string; at: Date };
/** A chat's lifecycle, the same moments as a call's (connected: the agent accepted it), for features that follow chats too (screen recording). */
export type ChatLifecycleEvent = CallLifecycleEvent;
export type Side = 'customer' | 'agent';
/** An interaction in progress got, changed or lost its sensitive mark (category null: removed). */
export interface SensitiveMarkChange {
  interactionId: string;
  category: string | null;
}

export interface InteractionServiceDeps {
  repo: InteractionsRepo;
  queues: QueuesRepo;
  /** Each offer and how it ended (the agent's offer history, the board's counts). */
  offerLog: OfferLog;
  users: UsersRepo;
  audit: AuditLog;
  presence: PresenceService;
  chatCapacity: number;
  customerGoneMs: number;
  redaction: Redaction;
  sensitiveKeywords?: SensitiveKeywordMatcher;
  log?: { error(obj: object, msg: string): void };
  /** The server's clock (tests move it, e.g. for retention). */
  now?: () => Date;
  /**
   * Several nodes: throws unless this node still holds the routing lease, called before a routing
   * decision (offer, assignment) is written, so a deposed node never writes one.
   */
  fence?: () => void;
}

/** The engine's reason for taking an offer back, as the offer's recorded outcome. */
const OFFER_OUTCOME_OF: Record<WithdrawReason, OfferOutcome> = {
  timeout: 'timed_out',
  declined: 'declined',
  customer_left: 'withdrawn',
  unavailable: 'unavailable',
  // A supervisor moved the waiting interaction elsewhere from the board.
  moved: 'withdrawn',
};

/**
 * Under load, chat messages are committed at most once per this many ms (group-commit.ts): each
 * commit costs about as much as the inserts of a dozen rows, and a saturated server otherwise made
 * one per event-loop turn (1 to 3 rows each). An idle server commits at once.
 */
const CHAT_COMMIT_GAP_MS = 2;

const shuttingDown = () => new DomainError('conflict', 'The server is shutting down. Reconnect in a moment.');

export const refuse = {
  notFound: (id: string) => new DomainError('not_found', `No interaction ${id}.`),
  forbidden: (message: string) => new DomainError('forbidden', message),
  conflict: (message: string) => new DomainError('conflict', message),
};

/**
 * The core of the interactions module: the interactions in progress (in memory, mirrored to the
 * database), the routing engine and its offer timer, and what every feature needs (who is a party
 * to an interaction, summaries, the customer's state line). Every change runs through `run`, one
 * at a time, except chat messages: they run in their interaction's lane (`runFor`), so chats do
 * not wait on each other, and are stored by one group commit per event-loop turn (`messages`).
 * Intake (a customer starts), offers (accept, decline), chat, calls, ending, wrap-up and transfer
 * build on this (their own files).
 */
export class InteractionService {
  readonly live = new Map<string, LiveInteraction>();
  readonly queues = new Map<string, Queue>();
  readonly engine: RoutingEngine;
  /**
   * Agents whose socket said hello since they were last offline. Presence `available` makes an
   * agent available for offers only once they are in here: presence alone turns available before
   * hello.ok is sent, and stays so through the reconnect grace period (where a reload then gets
   * its pending offer re-sent).
   */
  readonly ready = new Set<string>();
  private readonly lanes = new ChangeLanes();
  /** Chat messages are written through here: one insert per batch, resolved once committed. */
  readonly messages: GroupCommit<MessagesTable>;
  private readonly listeners = new Set<() => void>();
  private readonly actors = new Map<string, TimelineActor>();
  private hubRef: Hub | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineAt: number | null = null;
  private stopped = false;
  /** Follow calls connecting, ending and being transferred (see notifyCall). */
  readonly callObservers: ((event: CallLifecycleEvent) => Promise<void> | void)[] = [];
  /** Follow chats being accepted, ending and being transferred (see notifyChat). */
  readonly chatObservers: ((event: ChatLifecycleEvent) => Promise<void> | void)[] = [];
  /** Follow sensitive marks set, changed or removed on interactions in progress (sensitive-live.ts). */
  readonly sensitiveObservers: ((event: SensitiveMarkChange) => Promise<void> | void)[] = [];
  /** Whether the agent is in a consult, either side (set by the consult feature; the board shows it). */
  inConsult: (userId: string) => boolean = () => false;
  /** Called when a queued customer's gone timer fires (set by the ending feature). */
  customerGone: (interactionId: string) => void = () => undefined;

  /** Who may open an interaction marked sensitive; history, recordings and sync ask it. */
  readonly sensitive: SensitiveAccess;

  constructor(readonly deps: InteractionServiceDeps) {
    this.sensitive = new SensitiveAccess({ repo: deps.repo, users: deps.users, audit: deps.audit });
    this.engine = new RoutingEngine({ ...DEFAULT_ROUTING_CONFIG, chatCapacity: deps.chatCapacity }, []);
    this.messages = new GroupCommit((rows) => deps.repo.insertMessages(rows), 256, CHAT_COMMIT_GAP_MS);
  }

  get repo(): InteractionsRepo {
    return this.deps.repo;
  }

  get hub(): Hub {
    if (!this.hubRef) throw new Error('interactions: the hub is attached at start-up');
    return this.hubRef;
  }

  async loadQueues(): Promise<void> {
    const queues = await this.deps.queues.list();
    this.queues.clear();
    for (const q of queues) this.queues.set(q.id, q);
    this.engine.setQueues(queues.map((q) => ({ id: q.id, memberIds: q.memberIds, offerTimeoutMs: q.offerTimeoutMs, chatCapacity: q.chatCapacity ?? null })));
  }

  /** Told after reloadQueues() (e.g. sync publishes the queues to the apps' local data). */
  readonly queueObservers: (() => Promise<unknown>)[] = [];

  /** After an admin changed queues or memberships: routing uses them at once (offers made keep their deadline). */
  async reloadQueues(): Promise<void> {
    await this.run(async () => {
      await this.loadQueues();
      const now = this.now();
      await this.apply(this.engine.reconcile(now.getTime()), now);
    });
    for (const observer of this.queueObservers) await observer();
  }

  attach(hub: Hub): void {
    this.hubRef = hub;
  }

  /** Runs a change after every change queued before it, alone. Refused once the server is stopping. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.stopped) return Promise.reject(shuttingDown());
    return this.lanes.exclusive(task);
  }

  /**
   * Runs a change that concerns this one interaction only (and touches no routing state): after
   * its earlier changes and every `run` queued before, alongside other interactions' changes.
   */
  runFor<T>(interactionId: string, task: () => Promise<T> | T): Promise<T> {
    if (this.stopped) return Promise.reject(shuttingDown());
    return this.lanes.lane(interactionId, task);
  }

  /** Like run, for timers and hooks: never rejects, failures go to the log. */
  background(what: string, task: () => Promise<void> | void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.run(task).catch((err: unknown) => this.deps.log?.error({ err }, `interactions: ${what} failed`));
  }

  /** Like runFor, for hooks about one interaction: never rejects, failures go to the log. */
  backgroundFor(interactionId: string, what: string, task: () => Promise<void> | void): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.runFor(interactionId, task).catch((err: unknown) => this.deps.log?.error({ err }, `interactions: ${what} failed`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    for (const live of this.live.values()) {
      if (live.goneTimer) clearTimeout(live.goneTimer);
      if (live.wrapup) clearTimeout(live.wrapup.timer);
    }
    await this.lanes.idle();
    await this.messages.idle();
  }

  now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Something the board shows changed. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Tells the call observers, inside the change in progress; an observer's failure is logged, never the change's. */
  async notifyCall(event: CallLifecycleEvent): Promise<void> {
    await this.notify('call', this.callObservers, event);
  }

  /** Tells the chat observers, inside the change in progress, like notifyCall. */
  async notifyChat(event: ChatLifecycleEvent): Promise<void> {
    await this.notify('chat', this.chatObservers, event);
  }

  private async notify(kind: 'call' | 'chat', observers: readonly ((event: CallLifecycleEvent) => Promise<void> | void)[], event: CallLifecycleEvent): Promise<void> {
    for (const observer of observers) {
      try {
        await observer(event);
      } catch (err) {
        this.deps.log?.error({ err, interactionId: event.interactionId }, `interactions: ${kind} ${event.type} observer failed`);
      }
    }
  }

  // ---------------------------------------------------------------- parties

  /**
   * Who the principal is to this interaction, from memory, without waiting: its customer, or its
   * assigned agent. `live` is null when the interaction is not in progress (then call
   * `explainNotLive`). Throws `forbidden` for anyone else.
   */
  partyOf(principal: Principal, interactionId: string): { live: LiveInteraction | null; side: Side } {
    const live = this.live.get(interactionId) ?? null;
    if (principal.role === 'customer') {
      if (principal.interactionId !== interactionId) throw refuse.forbidden('You may only act on your own conversation.');
      return { live, side: 'customer' };
    }
    if (live && live.agentId !== principal.id) {
      const hint = live.offer?.agentId === principal.id ? ' Accept the offer first.' : '';
      throw refuse.forbidden(`You are not the agent assigned to interaction ${interactionId}.${hint}`);
    }
    return { live, side: 'agent' };
  }

  /** For an interaction not in progress: not_found, conflict (it ended; the principal was a party) or forbidden. */
  async explainNotLive(principal: Principal, interactionId: string): Promise<never> {
    const row = await this.repo.get(interactionId);
    if (!row) throw refuse.notFound(interactionId);
    if (principal.role === 'customer' || row.agent_id === principal.id) {
      throw refuse.conflict(`Interaction ${interactionId} has already ended (${row.status}).`);
    }
    throw refuse.forbidden(`You are not the agent assigned to interaction ${interactionId}.`);
  }

  /** partyOf for an interaction that must be in progress. */
  async requireParty(principal: Principal, interactionId: string): Promise<{ live: LiveInteraction; side: Side }> {
    const party = this.partyOf(principal, interactionId);
    if (!party.live) return this.explainNotLive(principal, interactionId);
    return { live: party.live, side: party.side };
  }

  // ---------------------------------------------------------------- lookups

  /** Username and id of an agent, for timelines and the audit log. */
  async actor(userId: string): Promise<TimelineActor> {
    const cached = this.actors.get(userId);
    if (cached) return cached;
    const entry = this.deps.presence.get(userId);
    const username = entry?.username ?? (await this.deps.users.findById(userId))?.username ?? userId;
    const actor = { id: userId, username };
    this.actors.set(userId, actor);
    return actor;
  }

  displayName(userId: string): string {
    return this.deps.presence.get(userId)?.displayName ?? 'Agent';
  }

  customerConnected(interactionId: string): boolean {
    return this.hub.isConnected(customerPrincipalId(interactionId));
  }

  async summary(interactionId: string): Promise<InteractionSummary> {
    const found = await this.repo.summary(interactionId);
    if (!found) throw refuse.notFound(interactionId);
    const { row: _row, ...summary } = found;
    return this.live.has(interactionId) ? { ...summary, customerConnected: this.customerConnected(interactionId) } : summary;
  }

  async detail(interactionId: string): Promise<InteractionDetail> {
    const found = await this.repo.summary(interactionId);
    if (!found) throw refuse.notFound(interactionId);
    const { row, ...summary } = found;
    const [messages, timeline] = await Promise.all([this.repo.messages(interactionId), this.repo.timeline(interactionId)]);
    const live = this.live.has(interactionId) ? { customerConnected: this.customerConnected(interactionId) } : {};
    return buildDetail({ ...summary, ...live }, row, messages, timeline, this.now());
  }

  /** interaction.updated to the agent it concerns (the assigned one unless named). */
  async sendUpdated(interactionId: string, agentId: string | null): Promise<void> {
    if (!agentId) return;
    this.hub.sendTo(agentId, { type: 'interaction.updated', interaction: await this.summary(interactionId) });
  }

  /** Forgets an interaction that is no longer in progress, with its timers. */
  forget(live: LiveInteraction): void {
    if (live.goneTimer) clearTimeout(live.goneTimer);
    if (live.wrapup) clearTimeout(live.wrapup.timer);
    live.goneTimer = null;
    this.live.delete(live.id);
  }

  // ---------------------------------------------------------------- routing

  agentStatus(agentId: string): AgentStatus {
    let inWrapup = false;
    for (const live of this.live.values()) if (live.status === 'wrapup' && live.agentId === agentId) inWrapup = true;
    return { available: this.ready.has(agentId) && this.deps.presence.get(agentId)?.presence === 'available', inWrapup };
  }

  /** Tells the engine what the agent can take now (presence, connection, wrap-up) and applies the result. */
  async refreshAgent(agentId: string, now: Date): Promise<void> {
    await this.apply(this.engine.setAgentStatus(agentId, this.agentStatus(agentId), now.getTime()), now);
  }

  /**
   * Carries out what the engine decided: withdrawn offers (timeline, offer.withdrawn), new offers
   * (status offered, timeline, offer frame), interactions back to queued; then every waiting
   * customer's state line, the offer timer and the board.
   */
  async apply(outcome: RoutingOutcome, now: Date): Promise<void> {
    this.deps.fence?.();
    const touched = new Set<LiveInteraction>();
    for (const w of outcome.withdrawn) {
      const live = this.live.get(w.interactionId);
      if (live?.offer?.agentId === w.agentId) {
        live.offer = null;
        touched.add(live);
      }
      const type = w.reason === 'timeout' ? 'offer_timeout' : w.reason === 'declined' ? 'declined' : 'offer_withdrawn';
      await this.repo.addEvent(w.interactionId, type, now, await this.actor(w.agentId), type === 'offer_withdrawn' ? { reason: w.reason } : {});
      await this.deps.offerLog.ended(w.interactionId, w.agentId, OFFER_OUTCOME_OF[w.reason], now);
      this.hub.sendTo(w.agentId, { type: 'offer.withdrawn', interactionId: w.interactionId, reason: w.reason });
    }
    // The engine's view decides which offers still stand (one outcome can make and end an offer).
    const standing = new Map<string, string>();
    if (outcome.offers.length > 0) {
      for (const a of this.engine.snapshot().agents) if (a.offeredInteractionId) standing.set(a.offeredInteractionId, a.agentId);
    }
    const offers = outcome.offers.filter((o) => standing.get(o.interactionId) === o.agentId && this.live.has(o.interactionId));
    for (const o of offers) {
      const live = this.live.get(o.interactionId)!;
      live.offer = { agentId: o.agentId, expiresAt: o.expiresAt };
      live.status = 'offered';
      touched.add(live);
      await this.repo.addEvent(o.interactionId, 'offered', now, await this.actor(o.agentId), { expiresAt: new Date(o.expiresAt).toISOString() });
      await this.deps.offerLog.opened({ interactionId: o.interactionId, agentId: o.agentId, queueId: o.queueId, at: now });
    }
    for (const live of touched) {
      if (!live.offer && live.status === 'offered') live.status = 'queued';
      if (live.status === 'queued' || live.status === 'offered') await this.repo.update(live.id, { status: live.status });
    }
    for (const o of offers) {
      this.hub.sendTo(o.agentId, { type: 'offer', interaction: await this.summary(o.interactionId), expiresAt: new Date(o.expiresAt).toISOString() });
    }
    this.refreshWaiting();
    this.armDeadline();
    this.changed();
  }

  /** One timer for the engine's next deadline (offer expiry or transfer window). */
  private armDeadline(): void {
    const at = this.engine.nextDeadline();
    if (at === this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    this.deadlineAt = at;
    if (at === null || this.stopped) return;
    this.deadlineTimer = setTimeout(
      () => {
        this.deadlineTimer = null;
        this.deadlineAt = null;
        void this.background('offer expiry', async () => {
          const now = this.now();
          await this.apply(this.engine.expireOffers(now.getTime()), now);
        });
      },
      // The server's clock, not the system's: deadlines were computed from it (tests move it).
      Math.max(0, at - this.now().getTime()) + 1,
    );
  }

  // ---------------------------------------------------------------- the customer's side

  /** Whether any member of the queue is signed in (presence other than offline). */
  membersSignedIn(queueId: string): number {
    const queue = this.queues.get(queueId);
    return (queue?.memberIds ?? []).filter((id) => (this.deps.presence.get(id)?.presence ?? 'offline') !== 'offline').length;
  }

  membersAvailable(queueId: string): number {
    const queue = this.queues.get(queueId);
    return (queue?.memberIds ?? []).filter((id) => this.deps.presence.get(id)?.presence === 'available').length;
  }

  customerState(live: LiveInteraction): CustomerStateFrame {
    const base = { type: 'customer.state' as const, interactionId: live.id };
    switch (live.status) {
      case 'queued':
      case 'offered': {
        const position = this.engine.position(live.id) ?? undefined;
        const leave = live.leaveMessageOffered ? { leaveMessage: true } : {};
        if (live.status === 'offered') return { ...base, state: 'ringing', ...(position ? { position } : {}), ...leave };
        if (this.membersSignedIn(live.queueId) === 0) return { ...base, state: 'no_agents', ...(position ? { position } : {}), ...leave };
        const eta = this.engine.estimatedWaitSeconds(live.id, this.now().getTime());
        return { ...base, state: 'waiting', ...(position ? { position } : {}), ...(eta !== null ? { estimatedWaitSeconds: Math.round(eta) } : {}), ...leave };
      }
      case 'active':
        return { ...base, state: live.onHold ? 'on_hold' : 'connected', agentName: this.displayName(live.agentId ?? '') };
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
    this.hub.sendTo(customerPrincipalId(live.id), frame);
  }

  /** Every waiting customer's state line (positions move whenever the queue does). */
  refreshWaiting(): void {
    for (const live of this.live.values()) if (live.status === 'queued' || live.status === 'offered') this.pushCustomerState(live);
  }

  /** A queued customer without a connection abandons once customerGoneMs pass without one. */
  watchCustomer(live: LiveInteraction): void {
    if (live.goneTimer || this.stopped || this.customerConnected(live.id)) return;
    if (live.status !== 'queued' && live.status !== 'offered') return;
    live.goneTimer = setTimeout(() => {
      live.goneTimer = null;
      this.customerGone(live.id);
    }, this.deps.customerGoneMs);
  }

  customerBack(live: LiveInteraction): void {
    if (live.goneTimer) clearTimeout(live.goneTimer);
    live.goneTimer = null;
  }
}
