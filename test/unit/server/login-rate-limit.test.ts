import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from '../../../server/modules/auth/login-rate-limit';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const WINDOW = 60_000;

describe('LoginRateLimiter', () => {
  it('lets a username try until it has failed maxFailures times, then says how long to wait', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(3, WINDOW, c.now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('agent1', '10.0.0.1')).toBe(0);
      limiter.recordFailure('agent1', '10.0.0.1');
      c.advance(1000);
    }
    // The oldest of the three failures was 3 s ago: it stops counting in 57 s.
    expect(limiter.retryAfterMs('agent1', '10.0.0.1')).toBe(WINDOW - 3000);
    // Another username from the same address is not blocked by it.
    expect(limiter.retryAfterMs('agent2', '10.0.0.1')).toBe(0);
    // The same username from another address is (the username is the thing being guessed).
    expect(limiter.retryAfterMs('agent1', '10.0.0.2')).toBe(WINDOW - 3000);
  });

  it('forgets failures once they are older than the window', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(2, WINDOW, c.now);
    limiter.recordFailure('agent1', 'a');
    c.advance(10_000);
    limiter.recordFailure('agent1', 'a');
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(WINDOW - 10_000);

    c.advance(WINDOW - 10_000 - 1);
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(1);
    c.advance(1); // the first failure is now exactly one window old
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);
    // One failure is still inside the window, so one more blocks again.
    limiter.recordFailure('agent1', 'a');
    expect(limiter.retryAfterMs('agent1', 'a')).toBeGreaterThan(0);
    c.advance(WINDOW);
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);
  });

  it('a successful sign-in resets the username counter', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(3, WINDOW, c.now);
    limiter.recordFailure('agent1', 'a');
    limiter.recordFailure('agent1', 'a');
    limiter.recordSuccess('agent1');
    limiter.recordFailure('agent1', 'a');
    limiter.recordFailure('agent1', 'a');
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);
    limiter.recordFailure('agent1', 'a');
    expect(limiter.retryAfterMs('agent1', 'a')).toBeGreaterThan(0);
  });

  it('a success does not reset the address counter', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(1, WINDOW, c.now); // address limit: 4
    for (const name of ['u1', 'u2', 'u3']) limiter.recordFailure(name, 'a');
    limiter.recordSuccess('u1');
    limiter.recordFailure('u4', 'a');
    expect(limiter.retryAfterMs('fresh', 'a')).toBe(WINDOW);
  });

  it('limits one address at four times the per-username limit, across usernames', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(2, WINDOW, c.now);
    // A spray: each username fails only once, so no username limit is reached.
    for (let i = 0; i < 7; i++) {
      limiter.recordFailure(`user${i}`, '203.0.113.9');
      c.advance(100);
    }
    expect(limiter.retryAfterMs('someone', '203.0.113.9')).toBe(0);
    limiter.recordFailure('user7', '203.0.113.9');
    // Eight failures from this address: every username is refused from it, with the wait counted
    // from the oldest of the last eight.
    expect(limiter.retryAfterMs('someone', '203.0.113.9')).toBe(WINDOW - 700);
    expect(limiter.retryAfterMs('user0', '203.0.113.9')).toBe(WINDOW - 700);
    // Other addresses are unaffected.
    expect(limiter.retryAfterMs('someone', '198.51.100.1')).toBe(0);
  });

  it('reports the longer of the username and the address waits', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(1, WINDOW, c.now);
    for (let i = 0; i < 4; i++) limiter.recordFailure(`u${i}`, 'a'); // address blocked from t=0
    c.advance(20_000);
    limiter.recordFailure('victim', 'b'); // username blocked from t=20 s
    expect(limiter.retryAfterMs('victim', 'a')).toBe(WINDOW);
    expect(limiter.retryAfterMs('u0', 'a')).toBe(WINDOW - 20_000);
  });

  it('attempts still being verified count against the limit until they finish', () => {
    const c = clock();
    const limiter = new LoginRateLimiter(2, WINDOW, c.now);
    const first = limiter.begin('agent1', 'a');
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);
    const second = limiter.begin('agent1', 'a');
    // Two guesses in flight: a third must wait, briefly, since neither has failed yet.
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(1000);
    expect(limiter.retryAfterMs('agent2', 'a')).toBe(0);

    // They turn out right: nothing was recorded, so the user may try again once they finish.
    const extra = limiter.begin('agent1', 'a');
    first();
    first(); // finishing twice releases only once: two are still in flight
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(1000);
    extra();
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);
    second();
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(0);

    // Both turn out wrong: recorded failures replace the in-flight marks and block for the window.
    const third = limiter.begin('agent1', 'a');
    const fourth = limiter.begin('agent1', 'a');
    limiter.recordFailure('agent1', 'a');
    third();
    limiter.recordFailure('agent1', 'a');
    fourth();
    expect(limiter.retryAfterMs('agent1', 'a')).toBe(WINDOW);
  });
});
