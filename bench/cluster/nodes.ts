import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { PasswordHasher } from '../../server/modules/auth/passwords';
import { QueuesRepo } from '../../server/modules/interactions/queues-repo';
import { UsersRepo } from '../../server/modules/users/users-repo';
import { startTestServer, type TestServer } from '../../test/support/server';
import { createEmptyPostgresDatabase } from '../../test/support/test-database';
import { redisNamespace, TEST_REDIS_URL } from '../../test/support/test-redis';

/**
 * Two (or more) real server processes on one fresh PostgreSQL database and one Redis namespace of
 * their own, as test/integration/cluster-two-nodes.test.ts starts them; the database seeded first
 * with the bench's agents, all members of one queue.
 */

/** The lowest password cost the server accepts, for the seed and the servers alike (no rehash at sign-in): 500 sign-ins are set-up, not what is measured. */
const SCRYPT_N = 1 << 10;
export const BENCH_QUEUE = 'bench';
export const BENCH_PASSWORD = 'bench-cluster';

export interface BenchNode {
  id: string;
  url: string;
  server: TestServer;
}

export interface Cluster {
  nodes: BenchNode[];
  /** The routing lease as Redis holds it now. */
  lease(): Promise<{ nodeId: string; token: number } | null>;
  stop(): Promise<void>;
}

/** Fills the fresh database: migrations and demo org (a real server started and stopped in this process), then the agents and the queue. */
async function seed(databaseUrl: string, agents: number): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-bench-cluster-seed-'));
  try {
    const config = { ...loadConfig({ VEILDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent', VEILDESK_MEDIA_WORKERS: '0' }, []), port: 0, dataDir, databaseUrl };
    const server = await createServer(config);
    try {
      const users = new UsersRepo(server.db, new PasswordHasher({ N: SCRYPT_N }));
      const memberIds: string[] = [];
      const batch = 8;
      for (let i = 0; i < agents; i += batch) {
        const made = await Promise.all(
          Array.from({ length: Math.min(batch, agents - i) }, (_, k) => users.create({ username: `bench${i + k + 1}`, displayName: `Bench ${i + k + 1}`, role: 'agent', password: BENCH_PASSWORD })),
        );
        memberIds.push(...made.map((u) => u.id));
      }
      await new QueuesRepo(server.db).upsert({ id: BENCH_QUEUE, name: 'Bench', dispositions: ['Done'], offerTimeoutMs: 30_000, memberIds });
    } finally {
      await server.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function startCluster(opts: { nodes: number; agents: number; chatCapacity: number; log?: (line: string) => void }): Promise<Cluster> {
  const log = opts.log ?? (() => undefined);
  const db = await createEmptyPostgresDatabase();
  const ns = redisNamespace();
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const nodes: BenchNode[] = [];
  // However this process ends, no server process outlives it.
  const killAll = () => nodes.forEach((n) => n.server.process.kill('SIGKILL'));
  process.once('exit', killAll);
  process.once('SIGINT', () => process.exit(130));
  const stop = async () => {
    process.off('exit', killAll);
    for (const n of nodes) {
      await n.server.stop();
      fs.rmSync(n.server.dataDir, { recursive: true, force: true });
    }
    redis.disconnect();
    await ns.clean().catch(() => undefined);
    await db.drop().catch(() => undefined);
  };
  try {
    log(`seeding ${opts.agents} agents into a fresh PostgreSQL database`);
    await seed(db.url, opts.agents);
    const auditKey = randomBytes(48).toString('base64');
    // One after the other: the first takes the routing lease.
    for (let i = 0; i < opts.nodes; i++) {
      const id = `node-${String.fromCharCode(97 + i)}`;
      const server = await startTestServer({
        env: {
          VEILDESK_DATABASE_URL: db.url,
          VEILDESK_REDIS_URL: TEST_REDIS_URL,
          VEILDESK_REDIS_PREFIX: ns.prefix,
          VEILDESK_NODE_ID: id,
          VEILDESK_AUDIT_KEY: auditKey,
          VEILDESK_MEDIA_WORKERS: '0',
          VEILDESK_CHAT_CAPACITY: String(opts.chatCapacity),
          VEILDESK_PASSWORD_SCRYPT_N: String(SCRYPT_N),
          // Production's presence grace (the tests' 1.5 s would sign agents out during a takeover).
          VEILDESK_PRESENCE_GRACE_MS: '10000',
          VEILDESK_OFFER_TIMEOUT_MS: '30000',
          // Every simulated client comes from 127.0.0.1: the per-address caps would count them all as one.
          VEILDESK_WIDGET_STARTS_PER_MINUTE: '10000',
          VEILDESK_WS_SOCKETS_PER_ADDRESS: '100000',
          LOG_LEVEL: 'warn',
        },
        nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean),
      });
      nodes.push({ id, url: server.url, server });
      log(`${id} listening on ${server.url} (pid ${server.process.pid})`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const lease = async () => {
    const value = await redis.get(`${ns.prefix}lease:routing`);
    return value ? (JSON.parse(value) as { nodeId: string; token: number }) : null;
  };
  return { nodes, lease, stop };
}
