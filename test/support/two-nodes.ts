import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import { startTestServer, type TestServer } from './server';
import { createEmptyPostgresDatabase, postgresAnswers } from './test-database';
import { redisAnswers, redisNamespace, TEST_REDIS_URL } from './test-redis';

/**
 * Two server processes on one PostgreSQL database and one Redis namespace, for the cluster tests
 * (cluster-two-nodes.test.ts, cluster-calls.test.ts).
 */

/** Whether both Redis and PostgreSQL answer; in CI a missing one throws (see the message). */
export async function clusterAvailable(file: string): Promise<boolean> {
  const redisUp = await redisAnswers();
  const postgresUp = await postgresAnswers();
  // CI always has both (it sets VEILDESK_TEST_REDIS_URL, which makes a silent Redis throw above, and VEILDESK_REQUIRE_POSTGRES=1).
  if (!postgresUp && process.env.VEILDESK_REQUIRE_POSTGRES === '1') throw new Error('PostgreSQL does not answer at VEILDESK_TEST_POSTGRES_URL, and VEILDESK_REQUIRE_POSTGRES=1');
  const available = redisUp && postgresUp;
  if (!available) console.warn(`${file}: skipped, ${redisUp ? '' : 'Redis (VEILDESK_TEST_REDIS_URL, default redis://127.0.0.1:6379) '}${postgresUp ? '' : 'PostgreSQL (VEILDESK_TEST_POSTGRES_URL) '}does not answer`);
  return available;
}

export interface LeaseValue {
  nodeId: string;
  token: number;
}

export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  /** The PostgreSQL database both nodes share (for a test that looks at the rows). */
  databaseUrl: string;
  /** The routing lease as Redis holds it now. */
  lease(): Promise<LeaseValue | null>;
  /** The nodes' Redis key prefix, and a client for the test's own looks into Redis. */
  prefix: string;
  redis: Redis;
}

/** Starts node-a, then node-b (the first seeds the demo org and takes the lease); `cleanups` gets what undoes it all. */
export async function twoNodes(
  cleanups: (() => Promise<void>)[],
  extraEnv: Record<string, string> = {},
  /** Per node, over extraEnv (e.g. node B's media address). */
  nodeEnv: { a?: Record<string, string>; b?: Record<string, string> } = {},
): Promise<TwoNodes> {
  const db = await createEmptyPostgresDatabase();
  const ns = redisNamespace();
  const redis = new Redis(TEST_REDIS_URL);
  cleanups.push(db.drop, ns.clean, async () => void redis.disconnect());
  const auditKey = randomBytes(48).toString('base64');
  const env = (node: 'node-a' | 'node-b') => ({
    VEILDESK_DATABASE_URL: db.url,
    VEILDESK_REDIS_URL: TEST_REDIS_URL,
    VEILDESK_REDIS_PREFIX: ns.prefix,
    VEILDESK_NODE_ID: node,
    VEILDESK_AUDIT_KEY: auditKey,
    VEILDESK_MEDIA_WORKERS: '0',
    VEILDESK_OFFER_TIMEOUT_MS: '20000',
    VEILDESK_CUSTOMER_GONE_MS: '30000',
    LOG_LEVEL: 'warn',
    ...extraEnv,
    ...(node === 'node-a' ? nodeEnv.a : nodeEnv.b),
  });
  const start = async (node: 'node-a' | 'node-b') => {
    const server = await startTestServer({ env: env(node) });
    cleanups.push(async () => {
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    });
    return server;
  };
  const a = await start('node-a');
  const b = await start('node-b');
  const lease = async () => {
    const value = await redis.get(`${ns.prefix}lease:routing`);
    return value ? (JSON.parse(value) as LeaseValue) : null;
  };
  return { a, b, databaseUrl: db.url, lease, prefix: ns.prefix, redis };
}

/** Polls until `probe` gives a value (every 25 ms), or fails after `ms`. */
export async function until<T>(probe: () => Promise<T | null | undefined | false>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until node B holds the lease, at most `withinMs` (default 5 s) after `killedAt`; returns how long it took. */
export async function leaseMovedToB(nodes: TwoNodes, killedAt: number, withinMs = 5_000): Promise<{ lease: LeaseValue; takeoverMs: number }> {
  const lease = await until(async () => {
    const l = await nodes.lease();
    return l && l.nodeId === 'node-b' ? l : null;
  }, Math.max(0, killedAt + withinMs - Date.now()), 'the lease on node B');
  return { lease, takeoverMs: Date.now() - killedAt };
}
