import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { IceServer } from '../shared/domain/interactions';
import { DEFAULT_PORT } from '../shared/version';

/** Where notices to customers go (nodemailer's SMTP transport). */
export const SmtpConfig = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    /** TLS from the first byte (usually port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean(),
    user: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** The sender, e.g. `Privacy team <privacy@example.com>`. */
    from: z.string().min(3, 'VEILDESK_SMTP_FROM is needed with VEILDESK_SMTP_HOST (the sender of notices, e.g. privacy@example.com)'),
  })
  .refine((s) => (s.user === undefined) === (s.password === undefined), { message: 'set both VEILDESK_SMTP_USER and VEILDESK_SMTP_PASSWORD, or neither' });
export type SmtpConfig = z.infer<typeof SmtpConfig>;

/** Names of the object-storage settings, for the messages of a half-done setup. */
const S3_ENV = ['VEILDESK_S3_ENDPOINT', 'VEILDESK_S3_BUCKET', 'VEILDESK_S3_REGION', 'VEILDESK_S3_ACCESS_KEY_ID', 'VEILDESK_S3_SECRET_ACCESS_KEY', 'VEILDESK_S3_FORCE_PATH_STYLE'] as const;

/**
 * Recordings in an S3-compatible bucket (VEILDESK_S3_*; docs/operations.md, "Object storage").
 * The endpoint is https, or http on this machine only (audio would cross the network in clear).
 */
export const S3Config = z
  .object({
    endpoint: z
      .string()
      .refine((s) => URL.canParse(s), 'VEILDESK_S3_ENDPOINT is not a URL, e.g. https://s3.eu-west-1.amazonaws.com or https://minio.example.com:9000')
      .refine((s) => !URL.canParse(s) || (!new URL(s).username && !new URL(s).password), 'VEILDESK_S3_ENDPOINT must not hold credentials: set VEILDESK_S3_ACCESS_KEY_ID and VEILDESK_S3_SECRET_ACCESS_KEY')
      .refine((s) => !URL.canParse(s) || new URL(s).protocol === 'https:' || (new URL(s).protocol === 'http:' && isLoopbackHost(new URL(s).hostname)), 'VEILDESK_S3_ENDPOINT must be https (http only on 127.0.0.1 or localhost)')
      .optional(),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'VEILDESK_S3_BUCKET is not a bucket name (3-63 lower-case letters, digits, dots and hyphens)'),
    region: z.string().min(1, 'VEILDESK_S3_REGION is needed with VEILDESK_S3_BUCKET (e.g. eu-west-1; us-east-1 for most S3-compatible servers)'),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    /** Bucket in the path (`https://host/bucket/key`) rather than the host name: most S3-compatible servers need it. */
    forcePathStyle: z.boolean(),
  })
  .refine((s) => (s.accessKeyId === undefined) === (s.secretAccessKey === undefined), {
    message: 'set both VEILDESK_S3_ACCESS_KEY_ID and VEILDESK_S3_SECRET_ACCESS_KEY, or neither (the AWS SDK then finds credentials itself, e.g. an instance role)',
  });
export type S3Config = z.infer<typeof S3Config>;

/** An AES-256 key as base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`). */
const RecordingKey = z
  .string()
  .trim()
  .refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
    message: 'a recordings key is base64 of exactly 32 random bytes: make one with `openssl rand -base64 32`',
  });

/** Everything the backend reads from its environment, validated once at start-up. */
export const ServerConfig = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  /** postgres://… to use PostgreSQL; empty for the embedded SQLite file under dataDir. */
  databaseUrl: z.string().optional(),
  mode: z.enum(['development', 'production']),
  seedDemo: z.boolean(),
  sessionTtlMinutes: z.coerce.number().int().min(1).max(60 * 24 * 30),
  presenceGraceMs: z.coerce.number().int().min(0).max(10 * 60_000),
  /** On stop, how long requests still in flight may finish before their connections are cut. */
  shutdownGraceMs: z.coerce.number().int().min(0).max(10 * 60_000),
  heartbeatMs: z.coerce.number().int().min(200).max(120_000),
  /** Folder holding the built web agent (index.html + assets). */
  staticDir: z.string(),
  /** Browser origins besides the server's own that may call the API (the desktop app's origin). */
  allowedOrigins: z.array(z.string()),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logRequests: z.boolean(),
  /** Fastify trustProxy: false, true, or the proxies' addresses (comma-separated). */
  trustProxy: z.union([z.boolean(), z.string()]),
  /**
   * STUN servers (and TURN servers that need no credential) for WebRTC: JSON array of RTCIceServer in
   * VEILDESK_ICE_SERVERS; none needed on loopback. Static TURN credentials are refused: they would
   * be handed to anyone (use turnUrls and turnSecret).
   */
  iceServers: z.array(
    IceServer.refine((s) => s.username === undefined && s.credential === undefined, {
      message: 'static TURN credentials are not accepted (anyone could read them): set VEILDESK_TURN_URLS and VEILDESK_TURN_SECRET (coturn static-auth-secret) instead',
    }),
  ),
  /** TURN servers (turn:/turns: URLs) whose short-lived credentials the server issues (TURN REST API). */
  turnUrls: z.array(z.string().regex(/^turns?:[^\s]+$/, 'a TURN URL starts with turn: or turns:, e.g. turn:turn.example.com:3478?transport=udp')),
  /** The secret shared with the TURN server (coturn's static-auth-secret); needed with turnUrls. */
  turnSecret: z.string().min(16, 'VEILDESK_TURN_SECRET needs at least 16 characters (coturn static-auth-secret)').optional(),
  /** How long an issued TURN credential is valid. */
  turnTtlSeconds: z.coerce.number().int().min(60).max(7 * 24 * 3600),
  /** The audit chain's HMAC key (VEILDESK_AUDIT_KEY); unset: `<dataDir>/audit-hmac.key`, created at the first start. */
  auditKey: z.string().min(32, 'VEILDESK_AUDIT_KEY needs at least 32 characters (e.g. openssl rand -base64 48)').optional(),
  /** Failed sign-ins per (username, address) within the window before 429 (×4 per address over all usernames). */
  loginMaxFailures: z.coerce.number().int().min(1),
  loginWindowMs: z.coerce.number().int().min(1000),
  /** First step of the per-username delay once a username has had loginMaxFailures failures; doubles with each further one. */
  loginDelayMs: z.coerce.number().int().min(0).max(60_000),
  /** scrypt cost of new password hashes (a power of two); older hashes keep verifying and are rehashed at sign-in. */
  passwordScryptN: z.coerce
    .number()
    .int()
    .min(1 << 10)
    .max(1 << 20)
    .refine((n) => (n & (n - 1)) === 0, 'must be a power of two, e.g. 131072'),
  /** Password hashes computed at once (each takes 128 MiB at the default cost). */
  passwordHashConcurrency: z.coerce.number().int().min(1).max(64),
  /** Sign-ins that may wait for a hashing slot; beyond them 503 with Retry-After. */
  passwordHashQueue: z.coerce.number().int().min(0).max(10_000),
  /** WebSocket frames one connection may send per second (sustained) and at once (burst). */
  wsMessagesPerSecond: z.coerce.number().min(0.1).max(10_000),
  wsMessageBurst: z.coerce.number().int().min(1).max(100_000),
  /** The same over all connections of one principal (a staff user, or a customer's conversation). */
  wsPrincipalMessagesPerSecond: z.coerce.number().min(0.1).max(10_000),
  wsPrincipalMessageBurst: z.coerce.number().int().min(1).max(100_000),
  /** Open WebSockets per client address (behind NAT many people share one: keep it generous). */
  wsSocketsPerAddress: z.coerce.number().int().min(1).max(100_000),
  /** Chat messages one interaction may hold, and their bytes (both sides together). */
  interactionMaxMessages: z.coerce.number().int().min(1).max(1_000_000),
  interactionMaxBytes: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024),
  /** What a queued customer may send before an agent answers: messages and bytes. */
  queuedMaxMessages: z.coerce.number().int().min(0).max(100_000),
  queuedMaxBytes: z.coerce.number().int().min(0).max(100 * 1024 * 1024),
  /** How long an agent has to accept an offer; given to the seeded demo queues. */
  offerTimeoutMs: z.coerce.number().int().min(100).max(10 * 60_000),
  /** Time an agent has for wrap-up after an interaction ends; then it closes without a disposition. */
  wrapupMs: z.coerce.number().int().min(100).max(60 * 60_000),
  /** Chats an agent handles at once (a call takes the agent whole). */
  chatCapacity: z.coerce.number().int().min(1).max(20),
  /** A queued customer whose widget stays disconnected this long has abandoned. */
  customerGoneMs: z.coerce.number().int().min(100).max(60 * 60_000),
  /** Interactions (and left messages) one address may start per minute through the widget. */
  widgetStartsPerMinute: z.coerce.number().int().min(1).max(10_000),
  /** ffmpeg joins a recording's segments (a reload mid-call) into one file; without it they stay unjoined. */
  ffmpegPath: z.string().min(1),
  /** Bytes one recording may hold (its chunks together); a chunk beyond it is refused with 413. */
  recordingMaxBytes: z.coerce.number().int().min(1024),
  /** After the server closes a recording, how long chunks still waiting in the agent's app are taken. */
  recordingGraceMs: z.coerce.number().int().min(0).max(7 * 24 * 3_600_000),
  /** Chunks arriving after a close are joined into the file once none came for this long (one assembly, not one per chunk). */
  recordingAssemblyDelayMs: z.coerce.number().int().min(0).max(10 * 60_000),
  /** At-rest key for recordings (VEILDESK_RECORDINGS_KEY: base64 of 32 bytes); unset: files are stored as uploaded. */
  recordingsKey: RecordingKey.optional(),
  /** Earlier keys (VEILDESK_RECORDINGS_OLD_KEYS, comma-separated): files written with them stay readable after a rotation. */
  recordingsOldKeys: z.array(RecordingKey),
  /** Recordings in an S3-compatible bucket (VEILDESK_S3_*); null: on disk under dataDir/recordings. */
  s3: S3Config.nullable(),
  /** mediasoup workers (SFU); 0 turns the SFU off. Default: one per core. */
  mediaWorkers: z.coerce.number().int().min(0).max(64),
  /** Addresses the SFU's WebRTC transports listen on, each with the address clients reach it at behind NAT. */
  mediaListenIps: z
    .array(z.object({ ip: z.ipv4().or(z.ipv6()), announcedAddress: z.string().min(1).max(253).optional() }))
    .min(1)
    .refine((list) => list.every((l) => (l.ip !== '0.0.0.0' && l.ip !== '::') || l.announcedAddress), {
      message: 'listening on 0.0.0.0 or :: needs the address clients reach (VEILDESK_MEDIA_ANNOUNCED_ADDRESS)',
    }),
  /** UDP/TCP port range of the SFU's transports. */
  mediaPortMin: z.coerce.number().int().min(1024).max(65535),
  mediaPortMax: z.coerce.number().int().min(1024).max(65535),
  /** How screen shares travel: `auto` (SFU when a worker runs, else peer to peer), `sfu` (refuse to start without one), `p2p`. */
  shareTransport: z.enum(['auto', 'sfu', 'p2p']),
  /** The mediasoup worker binary (MEDIASOUP_WORKER_BIN); unset: the cached build, then the npm package's own. */
  mediasoupWorkerBin: z.string().min(1).optional(),
  /** The org's SMTP server for notices to customers (VEILDESK_SMTP_*); null: not configured, campaigns are refused. */
  smtp: SmtpConfig.nullable(),
  /** Notices handed to the SMTP server per second at most. */
  noticeRatePerSecond: z.coerce.number().int().min(1).max(100),
  /** Tries per recipient before a temporary SMTP failure counts as failed. */
  noticeMaxAttempts: z.coerce.number().int().min(1).max(10),
  /** Wait before the first retry of a recipient; doubles with each further try. */
  noticeRetryMs: z.coerce.number().int().min(0).max(60 * 60_000),
  /** redis:// or rediss:// URL shared by every node (VEILDESK_REDIS_URL); unset: this node runs alone, as one process always did. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, 'VEILDESK_REDIS_URL is a redis:// or rediss:// URL, e.g. redis://redis.internal:6379/0')
    .optional(),
  /** Prefix of every Redis key and channel (VEILDESK_REDIS_PREFIX): several deployments (or tests) may share one Redis. */
  redisPrefix: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'VEILDESK_REDIS_PREFIX: letters, digits and : _ . - (at most 64), e.g. veildesk:'),
  /** This node's name among the others (VEILDESK_NODE_ID); default: host name, process id and a random suffix. */
  nodeId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'VEILDESK_NODE_ID: letters, digits and _ . - (at most 64)'),
  /** How the other nodes reach this one (VEILDESK_NODE_URL, e.g. http://10.0.0.5:8080); default: the address it listens on. */
  nodeUrl: z.url().optional(),
  /** The routing lease (multi-node): how long it lasts unless renewed, and how often its holder renews it. */
  leaseTtlMs: z.coerce.number().int().min(500).max(60_000),
  leaseRenewMs: z.coerce.number().int().min(100).max(20_000),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

/** scrypt's cost for new password hashes in production: 2^17 (128 MiB and about half a second per hash). */
export const DEFAULT_SCRYPT_N = 1 << 17;

/** Whether an address to listen on reaches only this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Development mode seeds demo users whose password is "demo": never on an address other machines
 * reach. Returns the refusal (what to do instead), or null when seeding is safe or off.
 */
export function demoSeedRefusal(config: Pick<ServerConfig, 'seedDemo' | 'host'>): string | null {
  if (!config.seedDemo || isLoopbackHost(config.host)) return null;
  return (
    `Refusing to seed the demo users (password "demo") while listening on ${config.host}, which other machines can reach. ` +
    'Listen on 127.0.0.1 (unset HOST), or start with --no-demo (development without the demo org), or in production mode ' +
    '(VEILDESK_MODE=production) and create users with `npm run user -- create`.'
  );
}

/** TURN URLs without a secret (or a secret without URLs) is a half-done setup: say what is missing. */
function checkTurn(config: ServerConfig): void {
  if (config.turnUrls.length > 0 && !config.turnSecret) throw new Error('VEILDESK_TURN_URLS is set without VEILDESK_TURN_SECRET: set the secret shared with the TURN server (coturn static-auth-secret), or unset the URLs.');
  if (config.turnSecret && config.turnUrls.length === 0) throw new Error('VEILDESK_TURN_SECRET is set without VEILDESK_TURN_URLS: name the TURN server, e.g. VEILDESK_TURN_URLS=turn:turn.example.com:3478.');
}

/** The desktop app's renderer origin (main/ serves it from this custom protocol). */
export const DESKTOP_APP_ORIGIN = 'app://veildesk';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): ServerConfig {
  const production = env.VEILDESK_MODE === 'production' || env.NODE_ENV === 'production' || argv.includes('--production');
  const parsed = ServerConfig.safeParse({
    port: env.PORT ?? DEFAULT_PORT,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.VEILDESK_DATA_DIR ?? './data'),
    databaseUrl: env.VEILDESK_DATABASE_URL || undefined,
    mode: production ? 'production' : 'development',
    seedDemo: !production && !argv.includes('--no-demo'),
    sessionTtlMinutes: env.VEILDESK_SESSION_TTL_MINUTES ?? 12 * 60,
    presenceGraceMs: env.VEILDESK_PRESENCE_GRACE_MS ?? 10_000,
    shutdownGraceMs: env.VEILDESK_SHUTDOWN_GRACE_MS ?? 5_000,
    heartbeatMs: env.VEILDESK_HEARTBEAT_MS ?? 15_000,
    staticDir: path.resolve(env.VEILDESK_STATIC_DIR ?? 'dist/renderer'),
    allowedOrigins: [DESKTOP_APP_ORIGIN, ...(env.VEILDESK_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean)],
    logLevel: env.LOG_LEVEL ?? 'info',
    logRequests: env.VEILDESK_LOG_REQUESTS === '1',
    trustProxy: parseTrustProxy(env.VEILDESK_TRUST_PROXY),
    iceServers: parseJson(env.VEILDESK_ICE_SERVERS, 'VEILDESK_ICE_SERVERS') ?? [],
    turnUrls: (env.VEILDESK_TURN_URLS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    turnSecret: env.VEILDESK_TURN_SECRET || undefined,
    turnTtlSeconds: env.VEILDESK_TURN_TTL_SECONDS ?? 3600,
    auditKey: env.VEILDESK_AUDIT_KEY || undefined,
    loginMaxFailures: env.VEILDESK_LOGIN_MAX_FAILURES ?? 5,
    loginWindowMs: env.VEILDESK_LOGIN_WINDOW_MS ?? 15 * 60_000,
    loginDelayMs: env.VEILDESK_LOGIN_DELAY_MS ?? 1000,
    passwordScryptN: env.VEILDESK_PASSWORD_SCRYPT_N ?? DEFAULT_SCRYPT_N,
    passwordHashConcurrency: env.VEILDESK_PASSWORD_HASH_CONCURRENCY ?? 2,
    passwordHashQueue: env.VEILDESK_PASSWORD_HASH_QUEUE ?? 32,
    wsMessagesPerSecond: env.VEILDESK_WS_MESSAGES_PER_SECOND ?? 20,
    wsMessageBurst: env.VEILDESK_WS_MESSAGE_BURST ?? 60,
    wsPrincipalMessagesPerSecond: env.VEILDESK_WS_PRINCIPAL_MESSAGES_PER_SECOND ?? 40,
    wsPrincipalMessageBurst: env.VEILDESK_WS_PRINCIPAL_MESSAGE_BURST ?? 120,
    wsSocketsPerAddress: env.VEILDESK_WS_SOCKETS_PER_ADDRESS ?? 200,
    interactionMaxMessages: env.VEILDESK_INTERACTION_MAX_MESSAGES ?? 2000,
    interactionMaxBytes: env.VEILDESK_INTERACTION_MAX_BYTES ?? 2 * 1024 * 1024,
    queuedMaxMessages: env.VEILDESK_QUEUED_MAX_MESSAGES ?? 20,
    queuedMaxBytes: env.VEILDESK_QUEUED_MAX_BYTES ?? 16 * 1024,
    offerTimeoutMs: env.VEILDESK_OFFER_TIMEOUT_MS ?? 15_000,
    wrapupMs: env.VEILDESK_WRAPUP_MS ?? 60_000,
    chatCapacity: env.VEILDESK_CHAT_CAPACITY ?? 3,
    customerGoneMs: env.VEILDESK_CUSTOMER_GONE_MS ?? 60_000,
    widgetStartsPerMinute: env.VEILDESK_WIDGET_STARTS_PER_MINUTE ?? 30,
    ffmpegPath: env.VEILDESK_FFMPEG_PATH || 'ffmpeg',
    recordingMaxBytes: env.VEILDESK_RECORDING_MAX_BYTES ?? 256 * 1024 * 1024,
    recordingGraceMs: env.VEILDESK_RECORDING_GRACE_S ? Number(env.VEILDESK_RECORDING_GRACE_S) * 1000 : 3_600_000,
    recordingAssemblyDelayMs: env.VEILDESK_RECORDING_ASSEMBLY_DELAY_MS ?? 2_000,
    recordingsKey: env.VEILDESK_RECORDINGS_KEY || undefined,
    recordingsOldKeys: (env.VEILDESK_RECORDINGS_OLD_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    s3: s3From(env),
    mediaWorkers: env.VEILDESK_MEDIA_WORKERS ?? availableParallelism(),
    mediaListenIps: (env.VEILDESK_MEDIA_LISTEN_IPS ?? '127.0.0.1')
      .split(',')
      .map((ip) => ip.trim())
      .filter(Boolean)
      .map((ip) => ({ ip, ...(env.VEILDESK_MEDIA_ANNOUNCED_ADDRESS ? { announcedAddress: env.VEILDESK_MEDIA_ANNOUNCED_ADDRESS } : {}) })),
    mediaPortMin: env.VEILDESK_MEDIA_PORT_MIN ?? 40000,
    mediaPortMax: env.VEILDESK_MEDIA_PORT_MAX ?? 49999,
    shareTransport: env.VEILDESK_SHARE_TRANSPORT ?? 'auto',
    mediasoupWorkerBin: env.MEDIASOUP_WORKER_BIN || undefined,
    smtp: smtpFrom(env),
    noticeRatePerSecond: env.VEILDESK_SMTP_RATE ?? 5,
    noticeMaxAttempts: env.VEILDESK_SMTP_MAX_ATTEMPTS ?? 3,
    noticeRetryMs: env.VEILDESK_SMTP_RETRY_MS ?? 60_000,
    redisUrl: env.VEILDESK_REDIS_URL || undefined,
    redisPrefix: env.VEILDESK_REDIS_PREFIX || 'veildesk:',
    nodeId: env.VEILDESK_NODE_ID || `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`,
    nodeUrl: env.VEILDESK_NODE_URL || undefined,
    leaseTtlMs: env.VEILDESK_LEASE_TTL_MS ?? 3000,
    leaseRenewMs: env.VEILDESK_LEASE_RENEW_MS ?? 1000,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid server configuration:\n${lines}\nFix the environment variables named above and start again.`);
  }
  checkTurn(parsed.data);
  if (parsed.data.redisUrl && !parsed.data.databaseUrl) throw new Error('VEILDESK_REDIS_URL (several nodes) needs VEILDESK_DATABASE_URL: every node uses the same PostgreSQL database, not a SQLite file of its own.');
  if (parsed.data.redisUrl && !parsed.data.auditKey) throw new Error('VEILDESK_REDIS_URL (several nodes) needs VEILDESK_AUDIT_KEY: every node signs the one audit chain with the same key.');
  if (parsed.data.leaseRenewMs * 2 > parsed.data.leaseTtlMs) throw new Error('VEILDESK_LEASE_RENEW_MS must be at most half of VEILDESK_LEASE_TTL_MS, so one late renewal does not lose the routing lease.');
  return parsed.data;
}

/** The SMTP settings when VEILDESK_SMTP_HOST is set; the schema checks the rest. */
function smtpFrom(env: NodeJS.ProcessEnv): Record<string, unknown> | null {
  if (!env.VEILDESK_SMTP_HOST) {
    const stray = ['VEILDESK_SMTP_PORT', 'VEILDESK_SMTP_USER', 'VEILDESK_SMTP_PASSWORD', 'VEILDESK_SMTP_FROM'].filter((name) => env[name]);
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without VEILDESK_SMTP_HOST: set the SMTP server's host too, or unset them.`);
    return null;
  }
  const secure = parseFlag(env.VEILDESK_SMTP_SECURE, 'VEILDESK_SMTP_SECURE');
  return {
    host: env.VEILDESK_SMTP_HOST,
    port: env.VEILDESK_SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: env.VEILDESK_SMTP_USER || undefined,
    password: env.VEILDESK_SMTP_PASSWORD || undefined,
    from: env.VEILDESK_SMTP_FROM ?? '',
  };
}

/** The object-storage settings when VEILDESK_S3_BUCKET is set; any of the others without it is a half-done setup. */
function s3From(env: NodeJS.ProcessEnv): Record<string, unknown> | null {
  if (!env.VEILDESK_S3_BUCKET) {
    const stray = S3_ENV.filter((name) => env[name]);
    if (stray.length > 0) throw new Error(`${stray.join(', ')} set without VEILDESK_S3_BUCKET: set the bucket (and VEILDESK_S3_REGION) to keep recordings in object storage, or unset them to keep recordings on disk.`);
    return null;
  }
  return {
    endpoint: env.VEILDESK_S3_ENDPOINT || undefined,
    bucket: env.VEILDESK_S3_BUCKET,
    region: env.VEILDESK_S3_REGION ?? '',
    accessKeyId: env.VEILDESK_S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.VEILDESK_S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: parseFlag(env.VEILDESK_S3_FORCE_PATH_STYLE, 'VEILDESK_S3_FORCE_PATH_STYLE'),
  };
}

function parseFlag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new Error(`${name} is "${value}": use true or false.`);
}

function parseTrustProxy(value: string | undefined): boolean | string {
  if (!value || value === 'false' || value === '0') return false;
  return value === 'true' ? true : value;
}

function parseJson(value: string | undefined, name: string): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${name} is not valid JSON. Example: [{"urls":"stun:stun.example.com:3478"}]`);
  }
}
