import type { Db } from '../../db/database';
import type { Redaction } from '../redaction/redaction-service';
import type { SensitiveKeywordMatcher } from '../sensitive-keywords/matcher';
import type { ClientLink } from '../../kernel/client-link';
import type { Hub } from '../../kernel/hub';
import type { ServerModule } from '../../kernel/module';
import type { Principal, PrincipalResolver } from '../../kernel/principal';
import type { RouteContext } from '../../kernel/routes';
import type { WsHandlers } from '../../kernel/ws-handlers';
import type { LimitStore } from '../limits/store';
import type { AuditLog } from '../audit/audit-log';
import type { PresenceService } from '../presence/presence-service';
import type { UsersRepo } from '../users/users-repo';
import { BoardPublisher } from './board';
import { Calls } from './calls';
import { Chat, type ChatLimits } from './chat';
import { ChildProtection } from './child-protection';
import { ChildProtectionPolicies, registerChildProtectionRoutes } from './child-protection-policy';
import { ConnectionHooks } from './connections';
import type { ConsentIntake } from './consent-port';
import { CustomerPrincipalResolver } from './customer-tokens';
import { Ending } from './ending';
import { registerInteractionRoutes } from './http-routes';
import { registerOfferRoutes } from './offer-routes';
import { Intake } from './intake';
import { InteractionService } from './interaction-service';
import { OfferLog } from './offer-log';
import { Offers } from './offers';
import { QueuesRepo } from './queues-repo';
import { QueueAdmin } from './queue-admin';
import { registerQueueAdminRoutes } from './queue-admin-routes';
import { QueueTime, registerQueueTimeRoutes } from './queue-time';
import { recoverOpenInteractions } from './recovery';
import { InteractionsRepo, type InteractionWriteHooks } from './repo';
import { Transfers } from './transfer';
import { Consults } from './consult';
import { ConsultStore } from './consult-store';
import type { SensitiveAccess } from './sensitive';
import { registerWidgetRoutes } from './widget-routes';
import { WidgetRateLimiter } from './widget-rate-limit';
import { Wrapups } from './wrapup';
import { interactionHandlers } from './ws-handlers';

export interface InteractionsDeps {
  db: Db;
  audit: AuditLog;
  presence: PresenceService;
  users: UsersRepo;
  config: { chatCapacity: number; wrapupMs: number; customerGoneMs: number; widgetStartsPerMinute: number; heartbeatMs: number } & ChatLimits;
  serverVersion: string;
  /** Applied to every chat message, wrap-up note and left message before anything else sees it. */
  redaction: Redaction;
  /** Suggests the sensitive mark to the agent from the org's keyword rules (never marks). */
  sensitiveKeywords?: SensitiveKeywordMatcher;
  /** Records the purposes a customer ticked when starting (server/modules/consent). */
  consent?: ConsentIntake;
  /** Run inside each write's transaction (the sync change log). */
  writeHooks?: InteractionWriteHooks;
  log?: { error(obj: object, msg: string): void };
  /** The server's clock (tests move it, e.g. for retention). */
  now?: () => Date;
  /** Where abuse-limit counts live (server/modules/limits); default: this module's own memory. */
  limits?: LimitStore;
  /** Several nodes: the routing lease's fence (interaction-service.ts), and chats in progress resume on takeover instead of ending. */
  cluster?: { fence(): void };
}

/**
 * Customer interactions: queues, routing, chat, calls, wrap-up, transfer, history, the supervisors'
 * board and the customer widget's HTTP side. app.ts creates it (after the queues are seeded) and
 * runs it like every other module; start() gets the gateway as hub.
 */
export class InteractionsModule implements ServerModule {
  readonly name = 'interactions';
  readonly core: InteractionService;
  readonly intake: Intake;
  readonly offers: Offers;
  readonly chat: Chat;
  readonly calls: Calls;
  readonly wrapups: Wrapups;
  readonly ending: Ending;
  readonly childProtection: ChildProtection;
  readonly childProtectionPolicies: ChildProtectionPolicies;
  readonly transfers: Transfers;
  readonly consults: Consults;
  readonly board: BoardPublisher;
  /** Who may open an interaction marked sensitive; recordings and sync ask it too. */
  readonly sensitive: SensitiveAccess;
  readonly principalResolvers: readonly PrincipalResolver[];
  readonly wsHandlers: WsHandlers;
  /** The org's maximum queue time and the sweep that offers leaving a message after it. */
  readonly queueTime: QueueTime;
  private readonly hooks: ConnectionHooks;
  private readonly limiter: WidgetRateLimiter;
  /** Admins' queue screens (issue 19); changes apply to routing at once. */
  readonly queueAdmin: QueueAdmin;

  private constructor(private readonly deps: InteractionsDeps) {
    const repo = new InteractionsRepo(deps.db, deps.writeHooks ?? null);
    this.core = new InteractionService({
      repo,
      queues: new QueuesRepo(deps.db),
      offerLog: new OfferLog(deps.db),
      users: deps.users,
      audit: deps.audit,
      presence: deps.presence,
      chatCapacity: deps.config.chatCapacity,
      customerGoneMs: deps.config.customerGoneMs,
      redaction: deps.redaction,
      ...(deps.sensitiveKeywords ? { sensitiveKeywords: deps.sensitiveKeywords } : {}),
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.cluster ? { fence: deps.cluster.fence } : {}),
    });
    this.intake = new Intake(this.core, deps.consent ?? null);
    this.offers = new Offers(this.core);
    this.chat = new Chat(this.core, deps.config);
    this.calls = new Calls(this.core);
    this.childProtection = new ChildProtection(this.core);
    this.childProtectionPolicies = new ChildProtectionPolicies({ db: deps.db, audit: deps.audit });
    this.wrapups = new Wrapups(this.core, deps.config.wrapupMs, this.childProtection);
    this.ending = new Ending(this.core, this.wrapups, this.childProtection);
    this.transfers = new Transfers(this.core);
    this.consults = new Consults(this.core, this.transfers, new ConsultStore(deps.db));
    this.board = new BoardPublisher(this.core, deps.presence);
    this.sensitive = this.core.sensitive;
    this.hooks = new ConnectionHooks(this.core, this.wrapups, this.board, this.consults, { serverVersion: deps.serverVersion, heartbeatMs: deps.config.heartbeatMs });
    this.principalResolvers = [new CustomerPrincipalResolver(repo)];
    this.wsHandlers = interactionHandlers(this);
    this.queueTime = new QueueTime({ db: deps.db, audit: deps.audit, core: this.core });
    this.queueAdmin = new QueueAdmin({ db: deps.db, audit: deps.audit, reload: () => this.core.reloadQueues() });
    this.limiter = new WidgetRateLimiter(deps.config.widgetStartsPerMinute, 60_000, deps.limits, 'widget:start');
  }

  /** Loads the queues (seed them first). */
  static async create(deps: InteractionsDeps): Promise<InteractionsModule> {
    const module = new InteractionsModule(deps);
    await module.core.loadQueues();
    await module.queueTime.load();
    return module;
  }

  /** With the gateway as hub: follows presence and takes over what a previous process left open. */
  async start(hub: Hub): Promise<void> {
    this.core.attach(hub);
    this.hooks.wirePresence(this.deps.presence);
    await this.core.run(async () => {
      // Consults a previous process left in progress: known before the calls recover (one ending ends its consult), resumed after.
      await this.consults.load();
      await recoverOpenInteractions(this.core, this.ending, this.wrapups, { resumeAnswered: this.deps.cluster !== undefined });
      await this.consults.resume();
    });
    this.queueTime.start();
  }

  routes(ctx: RouteContext): void {
    registerInteractionRoutes(ctx, { core: this.core, sensitive: this.sensitive });
    registerOfferRoutes(ctx, this.core.deps.offerLog);
    registerWidgetRoutes(ctx, { core: this.core, intake: this.intake, limiter: this.limiter });
    registerChildProtectionRoutes(ctx, this.childProtectionPolicies);
    registerQueueTimeRoutes(ctx, this.queueTime);
    registerQueueAdminRoutes(ctx, this.queueAdmin);
  }

  connected(principal: Principal, connection: ClientLink): Promise<void> {
    return this.hooks.onAuthenticated(principal, connection);
  }

  disconnected(principal: Principal): void {
    this.hooks.onDisconnected(principal);
  }

  /** Stops timers and lets the change in progress finish (server shutdown). */
  async stop(): Promise<void> {
    this.board.stop();
    this.queueTime.stop();
    await this.core.stop();
  }
}
