import type { Redaction } from '../redaction/redaction-service';
import type { SensitiveKeywordMatcher } from '../sensitive-keywords/matcher';
import type { InteractionDetail, InteractionSummary, Queue } from '../../../shared/domain/interactions';
import type { Hub } from '../../kernel/hub';
import type { Principal } from '../../kernel/principal';
import type { AuditLog } from '../audit/audit-log';
import type { PresenceService } from '../presence/presence-service';
import { DEFAULT_ROUTING_CONFIG, RoutingEngine, type AgentStatus, type RoutingOutcome } from '../routing';
import type { UsersRepo } from '../users/users-repo';
import { SensitiveAccess } from './sensitive';
import type { MessagesTable } from '../../db/schema';
import { ChangeRunner } from './change-runner';
import { CustomerSide, type CustomerStateFrame } from './customer-side';
import { GroupCommit } from './group-commit';
import { notifyObservers, type CallLifecycleEvent, type ChatLifecycleEvent, type SensitiveMarkChange } from './lifecycle-events';
import type { LiveInteraction } from './live';
import type { OfferLog } from './offer-log';
import { explainNotLive, partyOf, requireParty, type Side } from './parties';
import type { QueuesRepo } from './queues-repo';
import { refuse } from './refuse';
import type { InteractionsRepo, TimelineActor } from './repo';
import { RoutingOutcomes } from './routing-outcomes';
import { buildDetail } from './timeline';

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

/**
 * Under load, chat messages are committed at most once per this many ms (group-commit.ts): each
 * commit costs about as much as the inserts of a dozen rows, and a saturated server otherwise made
 * one per event-loop turn (1 to 3 rows each). An idle server commits at once.
 */
const CHAT_COMMIT_GAP_MS = 2;

/**
 * The core of the interactions module: the interactions in progress (in memory, mirrored to the
 * database), the routing engine, and what every feature needs (who is a party to an interaction,
 * summaries, the customer's state line). Every change runs through `run`, one at a time, except
 * chat messages: they run in their interaction's lane (`runFor`), so chats do not wait on each
 * other, and are stored by one group commit per event-loop turn (`messages`). The parts live in
 * their own files: change-runner.ts (run, runFor), parties.ts (party checks), routing-outcomes.ts
 * (agents' status to the engine, its outcomes carried out, its deadline timer), customer-side.ts
 * (the customer's state line and gone timer), lifecycle-events.ts (what observers are told).
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
  private readonly changes: ChangeRunner;
  private readonly routing: RoutingOutcomes;
  private readonly customer: CustomerSide;
  /** Chat messages are written through here: one insert per batch, resolved once committed. */
  readonly messages: GroupCommit<MessagesTable>;
  private readonly listeners = new Set<() => void>();
  private readonly actors = new Map<string, TimelineActor>();
  private hubRef: Hub | null = null;
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
    this.changes = new ChangeRunner(deps.log);
    this.routing = new RoutingOutcomes(this, this.changes, deps);
    this.customer = new CustomerSide(this, this.changes, deps);
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

  // ---------------------------------------------------------------- changes (change-runner.ts)

  /** Runs a change after every change queued before it, alone. Refused once the server is stopping. */
  run<T>(task: () => Promise<T> | T): Promise<T> {
    return this.changes.run(task);
  }

  /**
   * Runs a change that concerns this one interaction only (and touches no routing state): after
   * its earlier changes and every `run` queued before, alongside other interactions' changes.
   */
  runFor<T>(interactionId: string, task: () => Promise<T> | T): Promise<T> {
    return this.changes.runFor(interactionId, task);
  }

  /** Like run, for timers and hooks: never rejects, failures go to the log. */
  background(what: string, task: () => Promise<void> | void): Promise<void> {
    return this.changes.background(what, task);
  }

  /** Like runFor, for hooks about one interaction: never rejects, failures go to the log. */
  backgroundFor(interactionId: string, what: string, task: () => Promise<void> | void): Promise<void> {
    return this.changes.backgroundFor(interactionId, what, task);
  }

  async stop(): Promise<void> {
    this.changes.stop();
    this.routing.stop();
    for (const live of this.live.values()) {
      if (live.goneTimer) clearTimeout(live.goneTimer);
      if (live.wrapup) clearTimeout(live.wrapup.timer);
    }
    await this.changes.idle();
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
    await notifyObservers('call', this.callObservers, event, this.deps.log);
  }

  /** Tells the chat observers, inside the change in progress, like notifyCall. */
  async notifyChat(event: ChatLifecycleEvent): Promise<void> {
    await notifyObservers('chat', this.chatObservers, event, this.deps.log);
  }

  // ---------------------------------------------------------------- parties (parties.ts)

  /** Who the principal is to this interaction, from memory; `live` null when it is not in progress. Throws `forbidden` for anyone else. */
  partyOf(principal: Principal, interactionId: string): { live: LiveInteraction | null; side: Side } {
    return partyOf(this.live, principal, interactionId);
  }

  /** For an interaction not in progress: not_found, conflict (it ended; the principal was a party) or forbidden. */
  explainNotLive(principal: Principal, interactionId: string): Promise<never> {
    return explainNotLive(this.repo, principal, interactionId);
  }

  /** partyOf for an interaction that must be in progress. */
  requireParty(principal: Principal, interactionId: string): Promise<{ live: LiveInteraction; side: Side }> {
    return requireParty(this.live, this.repo, principal, interactionId);
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

  // ---------------------------------------------------------------- routing (routing-outcomes.ts)

  agentStatus(agentId: string): AgentStatus {
    return this.routing.agentStatus(agentId);
  }

  /** Tells the engine what the agent can take now (presence, connection, wrap-up) and applies the result. */
  refreshAgent(agentId: string, now: Date): Promise<void> {
    return this.routing.refreshAgent(agentId, now);
  }

  /** Carries out what the engine decided (offers made and withdrawn), then customers' state lines, the offer timer and the board. */
  apply(outcome: RoutingOutcome, now: Date): Promise<void> {
    return this.routing.apply(outcome, now);
  }

  // ---------------------------------------------------------------- the customer's side (customer-side.ts)

  customerConnected(interactionId: string): boolean {
    return this.customer.customerConnected(interactionId);
  }

  /** How many members of the queue are signed in (presence other than offline). */
  membersSignedIn(queueId: string): number {
    return this.customer.membersSignedIn(queueId);
  }

  membersAvailable(queueId: string): number {
    return this.customer.membersAvailable(queueId);
  }

  customerState(live: LiveInteraction): CustomerStateFrame {
    return this.customer.customerState(live);
  }

  /** Sends the customer's state line when it changed (state, position or agent); `force` re-sends it. */
  pushCustomerState(live: LiveInteraction, force = false): void {
    this.customer.pushCustomerState(live, force);
  }

  /** Every waiting customer's state line (positions move whenever the queue does). */
  refreshWaiting(): void {
    this.customer.refreshWaiting();
  }

  /** A queued customer without a connection abandons once customerGoneMs pass without one. */
  watchCustomer(live: LiveInteraction): void {
    this.customer.watchCustomer(live);
  }

  customerBack(live: LiveInteraction): void {
    this.customer.customerBack(live);
  }
}
