import { describe, expect, it } from 'vitest';
import { AbuseLimits, FLOOD_COOLDOWN_MS } from '../../../server/modules/limits/abuse-limits';
import { MemoryLimitStore } from '../../../server/modules/limits/memory-store';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemoryLimitStore', () => {
  it('a token bucket allows its burst, then refills at its rate, and a refusal takes nothing', async () => {
    const c = clock();
    const store = new MemoryLimitStore(c.now);
    const limit = { burst: 3, perSecond: 2 };
    for (let i = 0; i < 3; i++) expect(store.take('k', limit).allowed).toBe(true);
    expect(store.take('k', limit)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(store.take('k', limit)).toEqual({ allowed: false, retryAfterMs: 500 });
    c.advance(500);
    expect(store.take('k', limit).allowed).toBe(true);
    expect(store.take('k', limit).allowed).toBe(false);
    // Another key has its own bucket.
    expect(store.take('other', limit).allowed).toBe(true);
    // Never more than the burst, however long it rested.
    c.advance(60_000);
    for (let i = 0; i < 3; i++) expect(store.take('k', limit).allowed).toBe(true);
    expect(store.take('k', limit).allowed).toBe(false);
  });

  it('slots are capped and each release frees one, once', async () => {
    const store = new MemoryLimitStore();
    const a = store.acquire('addr', 2);
    const b = store.acquire('addr', 2);
    expect(a && b).toBeTruthy();
    expect(store.acquire('addr', 2)).toBeNull();
    a!();
    a!();
    const c = store.acquire('addr', 2);
    expect(c).not.toBeNull();
    expect(store.acquire('addr', 2)).toBeNull();
  });
});

describe('AbuseLimits.frame', () => {
  it('refuses by connection first, then by principal over all its connections', async () => {
    const c = clock();
    const limits = new AbuseLimits(new MemoryLimitStore(c.now), { wsMessagesPerSecond: 1, wsMessageBurst: 3, wsPrincipalMessagesPerSecond: 1, wsPrincipalMessageBurst: 4, wsSocketsPerAddress: 5 });
    for (let i = 0; i < 3; i++) expect(limits.frame('1', 'p').allowed).toBe(true);
    expect(limits.frame('1', 'p')).toMatchObject({ allowed: false, scope: 'connection' });
    // A second connection of the same principal: its own bucket is full, the principal's has one left.
    expect(limits.frame('2', 'p').allowed).toBe(true);
    expect(limits.frame('2', 'p')).toMatchObject({ allowed: false, scope: 'principal', retryAfterMs: 1000 });
    // Someone else is not affected.
    expect(limits.frame('3', 'q').allowed).toBe(true);
  });
});

describe('AbuseLimits.hello', () => {
  it('a principal closed for flooding may not say hello again for the cool-down', async () => {
    const c = clock();
    const limits = new AbuseLimits(new MemoryLimitStore(c.now), { wsMessagesPerSecond: 1, wsMessageBurst: 3, wsPrincipalMessagesPerSecond: 1, wsPrincipalMessageBurst: 4, wsSocketsPerAddress: 5 });
    expect((await limits.hello('token-a', 'p')).allowed).toBe(true);
    await limits.penalize('token-a', 'p');
    c.advance(4000);
    // Refused by the credential alone (before the token is looked up), and by the principal on another credential.
    expect(await limits.hello('token-a')).toEqual({ allowed: false, retryAfterMs: FLOOD_COOLDOWN_MS - 4000 });
    expect(await limits.hello('token-b', 'p')).toEqual({ allowed: false, retryAfterMs: FLOOD_COOLDOWN_MS - 4000 });
    expect((await limits.hello('token-c', 'q')).allowed).toBe(true);
    c.advance(FLOOD_COOLDOWN_MS);
    expect((await limits.hello('token-a', 'p')).allowed).toBe(true);
  });
});
