import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { ClientConfig, HealthResponse } from '../shared/api/http';
import { PROTOCOL_VERSION } from '../shared/version';
import type { ServerConfig } from './config';
import { migrateToLatest, openDatabase, type Db } from './db/database';
import { installErrorHandling } from './http/errors';
import { installSecurityHeaders, originAllowed } from './http/security';
import { registerWebApp } from './http/web-app';
import { registerWidgetApp, widgetDirFor } from './http/widget-app';
import type { AuditLog as AuditLogType } from './modules/audit/audit-log';
import { AuditLog } from './modules/audit/audit-log';
import { registerAuditRoutes } from './modules/audit/routes';
import { LoginRateLimiter } from './modules/auth/login-rate-limit';
import { registerAuthRoutes } from './modules/auth/routes';
import { SessionStore } from './modules/auth/sessions';
import { InteractionsModule } from './modules/interactions/module';
import { QueuesRepo } from './modules/interactions/queues-repo';
import { PresenceService } from './modules/presence/presence-service';
import { createRecordings } from './modules/recordings/module';
import { ChangeLog } from './modules/sync/change-log';
import { createSync } from './modules/sync/module';
import { syncWriteHooks } from './modules/sync/write-hooks';
import type { MonitorMedia } from './modules/monitoring/media-port';
import { createMonitoring } from './modules/monitoring/module';
import { sfuMonitorMedia } from './modules/monitoring/sfu-adapter';
import { wirePresence } from './modules/presence/presence-wiring';
import { ShareRegistry } from './modules/shares/share-registry';
import { MediaService } from './modules/media/media-service';
import { bindShareRooms } from './modules/media/share-rooms';
import { staffDirectory, wireShares } from './modules/shares/share-wiring';
import { seedDemoOrg, seedDemoQueues } from './modules/users/demo-org';
import { UsersRepo } from './modules/users/users-repo';
import { SERVER_VERSION } from './version';
import { WsGateway } from './ws/gateway';

export interface VeildeskServer {
  app: FastifyInstance;
  db: Db;
  audit: AuditLogType;
  presence: PresenceService;
  /** The SFU (its workers, or why there are none). */
  media: MediaService;
  /** How screen shares travel here, as /api/config tells the apps. */
  shareTransport: 'sfu' | 'p2p';
  /** Whether this start seeded the demo org. */
  seeded: boolean;
  close(): Promise<void>;
}

/** JSON bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Builds the whole backend: database (migrated), services, HTTP routes, WebSocket gateway. */
export async function createServer(config: ServerConfig, extras: { monitorMedia?: MonitorMedia } = {}): Promise<VeildeskServer> {
  const db = openDatabase(config, { backgroundCheckpoints: { onError: (message) => app.log.warn(message) } });
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
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });

  const audit = new AuditLog(db);
  const users = new UsersRepo(db);
  const sessions = new SessionStore(db, config.sessionTtlMinutes * 60_000);
  await sessions.purgeExpired();
  const seeded = config.seedDemo ? await seedDemoOrg(users) : false;
  if (config.seedDemo) await seedDemoQueues(users, new QueuesRepo(db), { offerTimeoutMs: config.offerTimeoutMs });

  const presence = new PresenceService({ audit, graceMs: config.presenceGraceMs });
  presence.seed(await users.listByRole('agent'));
  const changeLog = new ChangeLog();
  const interactions = await InteractionsModule.create({ db, audit, presence, users, config, serverVersion: SERVER_VERSION, writeHooks: syncWriteHooks(changeLog), log: app.log });
  const media = await startMedia(config, app.log);
  const shareTransport = config.shareTransport === 'p2p' || media.unavailable() ? 'p2p' : 'sfu';
  const shareRooms = bindShareRooms(media);
  const shares = new ShareRegistry({ audit, hub: { sendTo: (id, message) => gateway.sendTo(id, message) }, directory: staffDirectory(users), graceMs: config.presenceGraceMs, media: shareRooms.hooks });
  shareRooms.attach(shares);
  const shareWiring = wireShares(shares);
  const recordings = createRecordings({ db, audit, core: interactions.core, hub: () => gateway, config, log: app.log });
  const sync = createSync({ db, log: changeLog, interactions, audit, hub: () => gateway, onError: (err) => app.log.error({ err }, 'sync: nudge failed') });
  const monitoring = createMonitoring({ db, audit, core: interactions.core, recordings: recordings.service, media: extras.monitorMedia ?? sfuMonitorMedia(media, (roomId, user, type) => monitoring.service.mediaRefused(roomId, user, type)), log: app.log });

  const gateway = new WsGateway({
    sessions,
    resolvers: [interactions.resolver],
    services: { presence, audit, interactions, shares, media, recordings: recordings.service, monitoring: monitoring.service },
    heartbeatMs: config.heartbeatMs,
    serverVersion: SERVER_VERSION,
    isOriginAllowed: (origin, request) => originAllowed(origin, request, config.allowedOrigins),
    async onAuthenticated(principal, connection) {
      const own = await presenceWiring.connected(principal);
      if (principal.user && own) {
        connection.send({ type: 'hello.ok', protocol: PROTOCOL_VERSION, serverVersion: SERVER_VERSION, heartbeatMs: config.heartbeatMs, user: principal.user, presence: own.presence });
      }
      presenceWiring.sendInitialState(principal, connection);
      shareWiring.connected(principal, connection);
      await interactions.onAuthenticated(principal, connection);
      await recordings.service.connected(principal, connection);
      await monitoring.service.connected(principal, connection);
    },
    log: app.log,
    onDisconnected(principal, opts) {
      presenceWiring.disconnected(principal, opts);
      interactions.onDisconnected(principal);
      shareWiring.disconnected(principal, opts);
      media.disconnected(principal.id);
      monitoring.service.disconnected(principal, opts);
    },
  });
  // The gateway's hooks run only after start-up, when this is set.
  const presenceWiring = wirePresence(presence, gateway);
  gateway.register(app);
  await interactions.start(gateway);
  await sync.start();
  // After the interactions: recordings a stopped server left open are closed, marked recovered and assembled.
  await recordings.service.recover();

  app.get('/api/health', async (): Promise<HealthResponse> => ({ status: 'ok', version: SERVER_VERSION }));
  app.get('/api/config', async (): Promise<ClientConfig> => ({ version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, heartbeatMs: config.heartbeatMs, iceServers: config.iceServers, shareTransport }));
  registerAuthRoutes(app, {
    users,
    sessions,
    audit,
    limiter: new LoginRateLimiter(config.loginMaxFailures, config.loginWindowMs),
    // The gateway closes the session's sockets through SessionStore.onRevoked; this covers a client
    // that closed its socket first, so presence does not wait out the grace period.
    onSignedOut: (userId, sessionId) => {
      presence.signedOut(userId);
      shareWiring.signedOut(userId, sessionId);
      void monitoring.service.signedOut(userId);
    },
  });
  registerAuditRoutes(app, { sessions, audit });
  interactions.registerRoutes(app, sessions);
  recordings.registerRoutes(app, sessions);
  sync.registerRoutes(app, sessions);
  monitoring.registerRoutes(app, sessions);
  await registerWebApp(app, config.staticDir);
  await registerWidgetApp(app, widgetDirFor(config.staticDir));

  let closed = false;
  return {
    app,
    db,
    audit,
    presence,
    media,
    shareTransport,
    seeded,
    async close() {
      if (closed) return;
      closed = true;
      presence.stop();
      sync.stop();
      await interactions.stop();
      shares.dispose();
      monitoring.service.dispose();
      media.close();
      await gateway.close();
      await app.close();
      await db.close();
    },
  };
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
