import { afterEach, describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../server/modules/auth/login-rate-limit';
import { RedisLimitStore } from '../../server/modules/cluster/redis-limit-store';
import { RedisLink } from '../../server/modules/cluster/redis-link';
import { RoutingLease, type LeaseHolder } from '../../server/modules/cluster/routing-lease';
import { WidgetRateLimiter } from '../../server/modules/interactions/widget-rate-limit';
import { redisAnswers, redisNamespace, TEST_REDIS_URL } from '../support/test-redis';

/** The nodes' shared secret for limit keys (derived from the audit key in the server). */
const SECRET = Buffer.from('cluster-redis test secret');
const available = await redisAnswers();
if (!available) console.warn('cluster-redis.test.ts: skipped, Redis does not answer at redis://127.0.0.1:6379 (set VEILDESK_TEST_REDIS_URL to require one)');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Two "nodes": two kept connections on one namespace. */
async function twoNodes(): Promise<[RedisLink, RedisLink]> {
  const ns = redisNamespace();
  const a = await RedisLink.open({ url: TEST_REDIS_URL, prefix: ns.prefix, nodeId: 'node-a' });
  const b = await RedisLink.open({ url: TEST_REDIS_URL, prefix: ns.prefix, nodeId: 'node-b' });
  cleanups.push(ns.clean, () => a.close(), () => b.close());
  return [a, b];
}

/** Resolves when `check` holds (polled), or fails after `ms`. */
async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!available)('limits shared through Redis', () => {
  it('widget starts from one address are counted once over both nodes, even when they race', async () => {
    const [a, b] = await twoNodes();
    const onA = new WidgetRateLimiter(10, 60_000, new RedisLimitStore(a, SECRET), 'widget:start');
    const onB = new WidgetRateLimiter(10, 60_000, new RedisLimitStore(b, SECRET), 'widget:start');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? onA : onB).take('203.0.113.7')));
    expect(answers.filter((ms) => ms === 0)).toHaveLength(10);
    const refused = answers.filter((ms) => ms > 0);
    expect(refused).toHaveLength(30);
    expect(Math.max(...refused)).toBeLessThanOrEqual(60_000);
    // Another address has its own budget.
    expect(await onB.take('203.0.113.8')).toBe(0);
  });

  it('failed sign-ins on one node refuse the same username and address on the other; a success there clears them', async () => {
    const [a, b] = await twoNodes();
    const settings = { maxFailures: 3, windowMs: 60_000, delayMs: 0 };
    const onA = new LoginRateLimiter(new RedisLimitStore(a, SECRET), settings);
    const onB = new LoginRateLimiter(new RedisLimitStore(b, SECRET), settings);
    for (let i = 0; i < 3; i++) await onA.recordFailure('agent1', '198.51.100.1');
    // Redis holds counters under keyed hashes only: no username or address in any key or member.
    const keys = await a.redis.keys(a.key('*'));
    expect(keys.length).toBeGreaterThan(0);
    const stored = [...keys, ...(await Promise.all(keys.map((k) => a.redis.zrange(k, 0, -1)))).flat()].join(' ');
    expect(stored).not.toMatch(/agent1|198\.51\.100/);
    const refused = await onB.check('agent1', '198.51.100.1');
    expect(refused.reason).toBe('pair');
    expect(refused.retryAfterMs).toBeGreaterThan(55_000);
    expect(await onB.retryAfterMs('agent1', '198.51.100.2')).toBe(0);
    await onB.recordSuccess('agent1', '198.51.100.1');
    expect(await onA.retryAfterMs('agent1', '198.51.100.1')).toBe(0);
  });
});

describe.skipIf(!available)('routing lease', () => {
  it('one node holds it; when the holder stops renewing, the other takes it within TTL + one renewal, with a larger token', async () => {
    const [a, b] = await twoNodes();
    const won: { node: string; holder: LeaseHolder; at: number }[] = [];
    const lost: string[] = [];
    const lease = (link: RedisLink) =>
      new RoutingLease(link, { ttlMs: 600, renewMs: 150, url: `http://${link.nodeId}`, onAcquired: (holder) => void won.push({ node: link.nodeId, holder, at: Date.now() }), onLost: () => lost.push(link.nodeId) });
    const la = lease(a);
    void la.start();
    await until(() => won.length === 1, 2000);
    const lb = lease(b);
    void lb.start();
    cleanups.push(() => lb.stop());
    // Several renewals later, still one holder.
    await new Promise((r) => setTimeout(r, 700));
    expect(won.map((w) => w.node)).toEqual(['node-a']);
    expect(la.token()).toBe(won[0]!.holder.token);
    expect(lb.token()).toBeNull();
    expect(() => lb.assertHeld()).toThrow(/not held/);

    // node-a dies (no release): its Redis connection goes, the key expires.
    const diedAt = Date.now();
    (la as unknown as { timer: NodeJS.Timeout }).timer.unref();
    clearInterval((la as unknown as { timer: NodeJS.Timeout }).timer);
    await until(() => won.length === 2, 3000);
    const takeover = won[1]!.at - diedAt;
    expect(won[1]!.node).toBe('node-b');
    expect(won[1]!.holder.token).toBeGreaterThan(won[0]!.holder.token);
    expect(takeover).toBeLessThan(600 + 150 + 300);
    // The dead holder's own view: no token once its last renewal is older than the TTL.
    expect(la.token()).toBeNull();
  });
  it('the other node tries again the moment a dead holder’s lease expires, not at its next regular try', async () => {
    const late: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = await twoNodes();
      const won: { node: string; at: number }[] = [];
      // A regular try every 500 ms: without the try at expiry, the takeover would come up to 500 ms after it.
      const lease = (link: RedisLink) => new RoutingLease(link, { ttlMs: 800, renewMs: 500, url: `http://${link.nodeId}`, onAcquired: () => void won.push({ node: link.nodeId, at: Date.now() }), onLost: () => undefined });
      const la = lease(a);
      void la.start();
      await until(() => won.length === 1, 2000);
      const lb = lease(b);
      void lb.start();
      cleanups.push(() => lb.stop());
      // node-a dies at a different moment of node-b's cycle each round.
      await new Promise((r) => setTimeout(r, 150 * round + 100));
      clearInterval((la as unknown as { timer: NodeJS.Timeout }).timer);
      const expiresAt = (la as unknown as { held: { validUntil: number } }).held.validUntil;
      await until(() => won.length === 2, 3000);
      expect(won[1]!.node).toBe('node-b');
      late.push(won[1]!.at - expiresAt);
    }
    for (const ms of late) expect(ms).toBeLessThan(150);
  });
});
