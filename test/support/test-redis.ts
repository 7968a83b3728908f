import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use (VEILDESK_TEST_REDIS_URL; default: the local one). */
export const TEST_REDIS_URL = process.env.VEILDESK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether that Redis answers. Named explicitly (VEILDESK_TEST_REDIS_URL), it must: a missing Redis
 * then fails the tests instead of skipping them.
 */
export async function redisAnswers(): Promise<boolean> {
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch (err) {
    if (process.env.VEILDESK_TEST_REDIS_URL) throw new Error(`VEILDESK_TEST_REDIS_URL ${TEST_REDIS_URL} does not answer`, { cause: err });
    return false;
  } finally {
    r.disconnect();
  }
}

/** A key prefix of its own per test (other test runs may share the Redis), and the cleanup of its keys. */
export function redisNamespace(): { prefix: string; clean(): Promise<void> } {
  const prefix = `vd:test:${randomBytes(6).toString('hex')}:`;
  return {
    prefix,
    async clean() {
      const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await r.del(...keys);
        } while (cursor !== '0');
      } finally {
        r.disconnect();
      }
    },
  };
}
