import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../../server/modules/auth/login-rate-limit';
import { MemoryLimitStore } from '../../../server/modules/limits/memory-store';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const WINDOW = 60_000;

function limiter(maxFailures: number, c = clock(), delayMs = 1000) {
  return { c, limiter: new LoginRateLimiter(new MemoryLimitStore(c.now), { maxFailures, windowMs: WINDOW, delayMs }) };
}

describe('LoginRateLimiter', () => {
  it('refuses a (username, address) pair once it has failed maxFailures times, and says how long to wait', async () => {
    const { c, limiter: l } = limiter(3);
    for (let i = 0; i < 3; i++) {
      expect(await l.retryAfterMs('agent1', '10.0.0.1')).toBe(0);
      await l.recordFailure('agent1', '10.0.0.1');
      c.advance(1000);
    }
    // The oldest of the three failures was 3 s ago: it stops counting in 57 s.
    expect(await l.check('agent1', '10.0.0.1')).toEqual({ retryAfterMs: WINDOW - 3000, reason: 'pair' });
    // Another username from the same address is not blocked by it.
    expect(await l.retryAfterMs('agent2', '10.0.0.1')).toBe(0);
    // The same username from an address that did not fail is not blocked either: its owner can sign in.
    expect(await l.retryAfterMs('agent1', '10.0.0.2')).toBe(0);
  });

  it('forgets failures once they are older than the window', async () => {
    const { c, limiter: l } = limiter(2);
    await l.recordFailure('agent1', 'a');
    c.advance(10_000);
    await l.recordFailure('agent1', 'a');
    expect(await l.retryAfterMs('agent1', 'a')).toBe(WINDOW - 10_000);
    c.advance(WINDOW - 10_000 - 1);
    expect(await l.retryAfterMs('agent1', 'a')).toBe(1);
    c.advance(1); // the first failure is now exactly one window old; the username delay (1 s from the last) has passed
    expect(await l.retryAfterMs('agent1', 'a')).toBe(0);
    c.advance(WINDOW);
    expect(await l.retryAfterMs('agent1', 'a')).toBe(0);
  });

  it('delays a username that failed often, progressively, only for addresses that failed for it', async () => {
    const { c, limiter: l } = limiter(2);
    // A distributed guess: each address fails once (no pair limit reached).
    await l.recordFailure('victim', 'a1');
    await l.recordFailure('victim', 'a2');
    expect(await l.retryAfterMs('victim', 'a1')).toBe(1000); // 2 failures: the first step, 1 s after the last
    await l.recordFailure('victim', 'a3');
    expect(await l.check('victim', 'a3')).toEqual({ retryAfterMs: 2000, reason: 'username_delay' });
    await l.recordFailure('victim', 'a4');
    expect(await l.retryAfterMs('victim', 'a1')).toBe(4000);
    c.advance(4000);
    expect(await l.retryAfterMs('victim', 'a1')).toBe(0);
    // An address that never failed for this username is not delayed.
    c.advance(-4000);
    expect(await l.retryAfterMs('victim', 'home')).toBe(0);
  });

  it('caps the username delay at the window', async () => {
    const { limiter: l } = limiter(1, clock(), 10_000);
    for (let i = 0; i < 12; i++) await l.recordFailure('victim', `a${i}`);
    expect(await l.retryAfterMs('victim', 'a0')).toBe(WINDOW);
  });

  it('a successful sign-in clears that address and the username, not other addresses', async () => {
    const { limiter: l } = limiter(3);
    await l.recordFailure('agent1', 'a');
    await l.recordFailure('agent1', 'a');
    await l.recordFailure('agent1', 'b');
    await l.recordFailure('agent1', 'b');
    await l.recordSuccess('agent1', 'a');
    await l.recordFailure('agent1', 'a');
    await l.recordFailure('agent1', 'a');
    expect(await l.retryAfterMs('agent1', 'a')).toBe(0);
    await l.recordFailure('agent1', 'b');
    expect((await l.check('agent1', 'b')).reason).toBe('pair');
  });

  it('limits one address at four times maxFailures, across usernames', async () => {
    const { c, limiter: l } = limiter(2);
    // A spray: each username fails only once, so no pair limit is reached.
    for (let i = 0; i < 7; i++) {
      await l.recordFailure(`user${i}`, '203.0.113.9');
      c.advance(100);
    }
    expect(await l.retryAfterMs('someone', '203.0.113.9')).toBe(0);
    await l.recordFailure('user7', '203.0.113.9');
    // Eight failures from this address: every username is refused from it, counted from the oldest of the eight.
    expect(await l.check('someone', '203.0.113.9')).toEqual({ retryAfterMs: WINDOW - 700, reason: 'address' });
    // Other addresses are unaffected.
    expect(await l.retryAfterMs('someone', '198.51.100.1')).toBe(0);
  });

  it('attempts still being verified count against the pair until they finish', async () => {
    const { limiter: l } = limiter(2);
    const first = l.begin('agent1', 'a');
    expect(await l.retryAfterMs('agent1', 'a')).toBe(0);
    const second = l.begin('agent1', 'a');
    // Two guesses in flight: a third must wait, briefly, since neither has failed yet.
    expect(await l.retryAfterMs('agent1', 'a')).toBe(1000);
    expect(await l.retryAfterMs('agent1', 'b')).toBe(0);
    first();
    first(); // finishing twice releases only once
    expect(await l.retryAfterMs('agent1', 'a')).toBe(0);
    second();
    const third = l.begin('agent1', 'a');
    const fourth = l.begin('agent1', 'a');
    await l.recordFailure('agent1', 'a');
    third();
    await l.recordFailure('agent1', 'a');
    fourth();
    expect(await l.retryAfterMs('agent1', 'a')).toBe(WINDOW);
  });
});
