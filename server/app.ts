import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { endpoints } from '../shared/api/endpoints';
import { PROTOCOL_VERSION } from '../shared/version';
import { demoSeedRefusal, type ServerConfig } from './config';
import { migrateToLatest, openDatabase, type Db } from './db/database';
import type { ServerModule } from './kernel/module';
import { declareRoute } from './kernel/routes';
import { installErrorHandling } from './http/errors';
import { ensurePrivateDirSync } from './kernel/private-files';
import { routeContext } from './http/authenticate';
import { installSecurityHeaders, originAllowed } from './http/security';
import { registerWebApp } from './http/web-app';
import { registerWidgetApp, widgetDirFor } from './http/widget-app';
import type { AuditLog as AuditLogType } from './modules/audit/audit-log';
import { AuditLog } from './modules/audit/audit-log';
import { loadAuditKey } from './modules/audit/audit-key';
import { iceModule } from './modules/ice/module';
import { auditModule } from './modules/audit/module';
import { LoginRateLimiter } from './modules/auth/login-rate-limit';
import { authModule } from './modules/auth/module';
import { PasswordHasher } from './modules/auth/passwords';
import { AbuseLimits } from './modules/limits/abuse-limits';
import { MemoryLimitStore } from './modules/limits/memory-store';
import { SessionStore } from './modules/auth/sessions';
import { UserAdmin } from './modules/auth/user-admin';
import { PasswordChange } from './modules/auth/password-change';
import { createConsent, createConsentRecords } from './modules/consent/module';
import { createPrivacyNotices } from './modules/privacy-notices/module';
import { InteractionsModule } from './modules/interactions/module';
import { QueuesRepo } from './modules/interactions/queues-repo';
import { PresenceService } from './modules/presence/presence-service';
import { redactionModule } from './modules/redaction/module';
import { RedactionService } from './modules/redaction/redaction-service';
import { sensitiveKeywordsModule } from './modules/sensitive-keywords/module';
import { cannedResponsesModule } from './modules/canned-responses/module';
import { CannedResponsesService } from './modules/canned-responses/service';
import { evaluationsModule } from './modules/evaluations/module';
import { SensitiveKeywordsService } from './modules/sensitive-keywords/service';
import { createReports } from './modules/reports/module';
import { createRetention, type RetentionModule } from './modules/retention/module';
import { createRecordings } from './modules/recordings/module';
import { createSecurePause } from './modules/secure-pause/module';
import { createPrivacy } from './modules/privacy/module';
import { Purger } from './modules/privacy/purge/purger';
import { recordingFiles } from './modules/privacy/purge/recording-files';
import { ChangeLog } from './modules/sync/change-log';
import { createSync } from './modules/sync/module';
import { syncWriteHooks } from './modules/sync/write-hooks';
import type { MonitorMedia } from './modules/monitoring/media-port';
import { createMonitoring } from './modules/monitoring/module';
import { createNotices } from './modules/notices/module';
import { createNoticeCampaigns, type NoticeCampaignsModule } from './modules/notice-campaigns/module';
import { sfuMonitorMedia } from './modules/monitoring/sfu-adapter';
import { presenceModule } from './modules/presence/module';
import { ShareRegistry } from './modules/shares/share-registry';
import { MediaCluster } from './modules/media/media-cluster';
import { MediaService } from './modules/media/media-service';
import { mediaModule } from './modules/media/module';
import { bindShareRooms } from './modules/media/share-rooms';
import { sharesModule, staffDirectory } from './modules/shares/module';
import { seedDemoOrg, seedDemoQueues } from './modules/users/demo-org';
import { UsersRepo } from './modules/users/users-repo';
import { SERVER_VERSION } from './version';
import { WsGateway } from './ws/gateway';
import { ClusterNode } from './modules/cluster/cluster-node';
import type { WebSocket } from 'ws';

export interface VeildeskServer {
  app: FastifyInstance;
  db: Db;
  audit: AuditLogType;
  presence: PresenceService;
  /** The sync change log: privacy executors publish the records they change through it (tests call them directly). */
  changeLog: ChangeLog;
  /** The SFU (its workers, or why there are none). */
  media: MediaService;
  /** How screen shares travel here, as /api/config tells the apps. */
  shareTransport: 'sfu' | 'p2p';
  /** Whether this start seeded the demo org. */
  seeded: boolean;
  /** Retention by age: its policy and `runNow()` (the job runs at start and hourly by itself). */
  retention: RetentionModule;
  /** Notice campaigns by e-mail. */
  noticeCampaigns: NoticeCampaignsModule;
  /** With VEILDESK_REDIS_URL: this node among the others (null: one node alone). */
  cluster: ClusterNode | null;
  /**
   * Once the server listens at `url`: with Redis, joins the other nodes (relay, routing lease) and
   * starts the modules when this node wins the lease; `onLeaseLost` runs if it is lost while held.
   * Without Redis it does nothing (the modules started in createServer).
   */
  listening(url: string, opts?: { onLeaseLost?: () => void }): Promise<void>;
  close(): Promise<void>;
}

/** JSON bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the whole backend: database (migrated), services, HTTP routes, WebSocket gateway. */
export async function createServer(
  config: ServerConfig,
  extras: {
    monitorMedia?: MonitorMedia;
    /** The server's clock (interactions, audit, retention); tests move it forward. Default: the system clock. */
    now?: () => Date;
  } = {},
): Promise<VeildeskServer> {
  const now = extras.now ?? (() => new Date());
  // The data dir holds the database, recordings, exports and keys: the server's user only.
  ensurePrivateDirSync(config.dataDir);
  const refusal = demoSeedRefusal(config);
  if (refusal) throw new Error(refusal);
  const auditKey = loadAuditKey(config);
  const db = openDatabase(config, { backgroundCheckpoints: { onError: (message) => app.log.warn(message) }, onConnectionError: (message) => app.log.warn(message) });
  await migrateToLatest(db);

  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.body.password'] },
    bodyLimit: BODY_LIMIT_BYTES,
    // Behind a reverse proxy, set VEILDESK_TRUST_PROXY so rate limits and audit see client addresses.
    trustProxy: config.trustProxy,
    // One line per request drowns the start-up output; operators opt in with VEILDESK_LOG_REQUESTS=1.
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
  });
  installErrorHandling(app);
  installSecurityHeaders(app, config.allowedOrigins);
  // Several nodes: Redis for shared limits, the socket relay and the routing lease (cluster/cluster-node.ts).
  const cluster = config.redisUrl ? await ClusterNode.open(config, app.log, auditKey) : null;
  cluster?.installForwarding(app);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  const audit = new AuditLog(db, auditKey, now);
  const passwords = new PasswordHasher({ N: config.passwordScryptN, concurrency: config.passwordHashConcurrency, queue: config.passwordHashQueue });
  const users = new UsersRepo(db, passwords);
  const limits = new AbuseLimits(cluster?.limits ?? new MemoryLimitStore(), config);
  const sessions = new SessionStore(db, config.sessionTtlMinutes * 60_000);
  await sessions.purgeExpired();
  const seeded = config.seedDemo ? await seedDemoOrg(users) : false;
  if (config.seedDemo) await seedDemoQueues(users, new QueuesRepo(db), { offerTimeoutMs: config.offerTimeoutMs });

  const presence = new PresenceService({ audit, graceMs: config.presenceGraceMs });
  presence.seed(await users.listByRole('agent'));
  const changeLog = new ChangeLog();
  const redaction = await RedactionService.open(db, audit);
  const sensitiveKeywords = await SensitiveKeywordsService.open(db, audit);
  const consentRecords = createConsentRecords({ db, audit });
  const privacyNotices = createPrivacyNotices({ db, audit, now, config, limits: limits.store });
  // The published notice in force is the version the widget shows and consent records name.
  consentRecords.settings.currentNoticeVersion = () => privacyNotices.service.currentVersion();
  if (config.seedDemo) await consentRecords.settings.seedDemo();
  const interactions = await InteractionsModule.create({ db, audit, presence, users, config, serverVersion: SERVER_VERSION, writeHooks: syncWriteHooks(changeLog), redaction, sensitiveKeywords, consent: consentRecords.records, log: app.log, now, limits: limits.store, ...(cluster ? { cluster: { fence: () => cluster.fence() } } : {}) });
  const consent = createConsent({ db, audit, interactions, ...consentRecords, config, limits: limits.store });
  const media = await startMedia(config, app.log);
  // Several nodes with an SFU: rooms spread over the nodes' routers (media/media-cluster.ts).
  const mediaCluster = cluster && !media.unavailable() ? await startMediaCluster(cluster, media, config, app.log) : null;
  const shareTransport: 'sfu' | 'p2p' = config.shareTransport === 'p2p' || media.unavailable() ? 'p2p' : 'sfu';
  const shareRooms = bindShareRooms(media);
  const shares = new ShareRegistry({ audit, hub: { sendTo: (id, message) => gateway.sendTo(id, message) }, directory: staffDirectory(users), graceMs: config.presenceGraceMs, media: shareRooms.hooks });
  shareRooms.attach(shares);
  // Secure pause before the modules that follow it, so a call that ends paused ends its pause first.
  const securePause = createSecurePause({ db, audit, core: interactions.core, log: app.log });
  const recordings = createRecordings({ db, audit, core: interactions.core, childProtection: interactions.childProtection, securePause: securePause.service, hub: () => gateway, config, now, log: app.log });
  const purgeFiles = [recordingFiles(recordings.service)];
  const purger = new Purger({ db, log: changeLog, files: purgeFiles, now });
  const sync = createSync({ db, log: changeLog, interactions, audit, hub: () => gateway, redaction, purger, onError: (err) => app.log.error({ err }, 'sync: nudge failed') });
  const privacy = createPrivacy({ db, audit, core: interactions.core, purger, recordings: recordings.service, changeLog, config, log: app.log });
  const monitoring = createMonitoring({ db, audit, core: interactions.core, securePause: securePause.service, media: extras.monitorMedia ?? sfuMonitorMedia(media, (roomId, user, type) => monitoring.service.mediaRefused(roomId, user, type)), log: app.log });
  const retention = createRetention({ db, audit, purger, core: interactions.core, files: purgeFiles, config, now, log: app.log });
  const notices = createNotices({
    sources: {
      recordingPolicy: () => recordings.service.policy(),
      monitoringPolicy: () => monitoring.policy.get(),
      redactionPolicy: () => redaction.get(),
      retentionPolicy: () => retention.service.get(),
      consentView: () => consentRecords.settings.widgetView(),
    },
    config,
    limits: limits.store,
  });
  const noticeCampaigns = createNoticeCampaigns({
    db,
    audit,
    smtp: config.smtp,
    settings: { ratePerSecond: config.noticeRatePerSecond, maxAttempts: config.noticeMaxAttempts, retryMs: config.noticeRetryMs },
    contactsDays: async () => (await retention.service.get()).contactsDays,
    now,
    log: app.log,
  });
  const signedOut = (userId: string, sessionId: string) => {
    for (const m of modules) m.signedOut?.(userId, sessionId);
  };
  const loginLimiter = new LoginRateLimiter(limits.store, { maxFailures: config.loginMaxFailures, windowMs: config.loginWindowMs, delayMs: config.loginDelayMs });
  const auth = authModule({
    users,
    sessions,
    audit,
    userAdmin: new UserAdmin({ db, sessions, audit, passwords, now, onSignedOut: signedOut, onQueuesChanged: () => interactions.core.reloadQueues() }),
    passwordChange: new PasswordChange({ db, sessions, audit, passwords, limiter: loginLimiter, now, onSignedOut: signedOut }),
    limiter: loginLimiter,
    passwords,
    log: app.log,
    // The gateway closes the session's sockets through SessionStore.onRevoked; this covers a client
    // that closed its socket first, so presence does not wait out the grace period.
    onSignedOut: signedOut,
  });

  // The order matters where modules meet: after hello, presence answers a staff hello.ok before the
  // others send their state; interactions start (and recover) before sync and recordings do.
  const modules: readonly ServerModule[] = [
    presenceModule(presence, { serverVersion: SERVER_VERSION, heartbeatMs: config.heartbeatMs }),
    mediaModule(media),
    sharesModule(shares),
    interactions,
    sync,
    recordings,
    securePause,
    monitoring,
    auth,
    auditModule(audit),
    redactionModule(redaction),
    sensitiveKeywordsModule(sensitiveKeywords),
    cannedResponsesModule(new CannedResponsesService({ db, audit, redaction, now })),
    evaluationsModule({ db, audit, now, redaction, interactions: { get: (id) => interactions.core.repo.get(id), sensitive: interactions.core.sensitive } }),
    consent,
    privacy,
    notices,
    privacyNotices,
    // Resumes a campaign a stopped server left running; stops (a send in flight recorded) before the database closes.
    noticeCampaigns,
    createReports({ db, audit, now, log: app.log }),
    iceModule({ config, now, resolveCustomer: (token) => interactions.principalResolvers[0]!.resolve(token) }),
    // Last: its first run (at start) finds every other module started.
    retention,
  ];

  const gateway = new WsGateway({
    sessions,
    modules,
    heartbeatMs: config.heartbeatMs,
    limits,
    isOriginAllowed: (origin, request) => originAllowed(origin, request, config.allowedOrigins),
    log: app.log,
    ...(cluster ? { route: (socket: WebSocket, address: string) => cluster.route(socket, address) } : {}),
  });
  gateway.register(app);
  let started = false;
  const startModules = async () => {
    if (started) return;
    started = true;
    for (const m of modules) await m.start?.(gateway);
  };
  // One node alone serves at once; in a cluster only the holder of the routing lease does (listening()).
  if (!cluster) await startModules();

  declareRoute(app, endpoints.health, {}, async () => ({ status: 'ok' as const, version: SERVER_VERSION }));
  declareRoute(app, endpoints.config, {}, async () => ({ version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, heartbeatMs: config.heartbeatMs, iceServers: config.iceServers, shareTransport }));
  // iceServers above: STUN only (config refuses static credentials); TURN credentials come from /api/ice-servers.
  const routes = routeContext(app, sessions, (request, user) => privacyNotices.admitHttp(request, user));
  for (const m of modules) m.routes?.(routes);
  await registerWebApp(app, config.staticDir);
  await registerWidgetApp(app, widgetDirFor(config.staticDir));

  let closed = false;
  const server: VeildeskServer = {
    app,
    db,
    audit,
    presence,
    changeLog,
    media,
    shareTransport,
    seeded,
    retention,
    noticeCampaigns,
    cluster,
    async listening(url, opts = {}) {
      if (!cluster) return;
      await cluster.join({
        url: config.nodeUrl ?? url,
        accept: (socket, address) => gateway.accept(socket, address),
        serve: startModules,
        lost: () => {
          // Fail-stop: another node may already decide routing; this one must not write another decision.
          app.log.error({ node: cluster.nodeId }, 'routing lease lost: stopping this node');
          if (opts.onLeaseLost) opts.onLeaseLost();
          else void server.close();
        },
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      if (started) for (const m of [...modules].reverse()) await m.stop?.();
      await mediaCluster?.close();
      // A node that never served still runs workers for the rooms it hosted.
      if (!started) media.close();
      await cluster?.close();
      await gateway.close();
      // app.close() waits for every open connection; a client that stalls mid-request (or a
      // keep-alive socket Node does not count as idle) would hold the stop forever.
      const cut = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
      await app.close().finally(() => clearTimeout(cut));
      await db.close();
    },
  };
  return server;
}

/** The node's part in the SFU of several nodes; the directory places rooms while this node holds the lease. */
async function startMediaCluster(cluster: ClusterNode, media: MediaService, config: ServerConfig, log: FastifyInstance['log']): Promise<MediaCluster> {
  const mediaCluster = await MediaCluster.start({
    link: cluster.link,
    media,
    token: () => cluster.leaseToken(),
    holderToken: () => cluster.leaseHolder()?.token ?? 0,
    announced: config.mediaListenIps.map((l) => l.announcedAddress ?? l.ip).join(','),
    renewMs: config.leaseRenewMs,
    ttlMs: config.leaseTtlMs,
    log,
  });
  media.useDirectory(mediaCluster.directory, () => cluster.isServing());
  return mediaCluster;
}

/** The SFU, unless turned off. With VEILDESK_SHARE_TRANSPORT=sfu a server without a worker refuses to start. */
async function startMedia(config: ServerConfig, log: FastifyInstance['log']): Promise<MediaService> {
  const media = await MediaService.start(
    { workers: config.mediaWorkers, listenIps: config.mediaListenIps, rtcMinPort: config.mediaPortMin, rtcMaxPort: config.mediaPortMax, workerBin: config.mediasoupWorkerBin },
    log,
  );
  const why = media.unavailable();
  if (why && config.shareTransport === 'sfu') {
    media.close();
    throw new Error(`VEILDESK_SHARE_TRANSPORT is sfu, but the SFU cannot run: ${why}\nBuild the worker (npm run mediasoup:worker) or set VEILDESK_SHARE_TRANSPORT=auto.`);
  }
  if (why && config.shareTransport === 'auto') log.info({ reason: why }, 'no SFU: screen shares go peer to peer');
  return media;
}
