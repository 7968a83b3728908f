import { afterEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { PasswordHasher, parseHash } from '../../server/modules/auth/passwords';
import { api, login, startBackend, type TestBackend } from './helpers';

/** Issue 17, sign-in: an attacker guessing a password cannot lock its owner out. */

const ATTACKER = '203.0.113.7';
const HOME = '198.51.100.20';

/** A sign-in from a given client address (the server trusts X-Forwarded-For here, as behind a proxy). */
const signIn = (server: TestBackend, username: string, password: string, from: string) =>
  api(server.url, '/api/auth/login', { json: { username, password }, headers: { 'x-forwarded-for': from } });

describe('sign-in limits', () => {
  let server: TestBackend;
  afterEach(async () => {
    await server?.close();
  });

  it('many failures from one address lock that address out, not the user: the right password from another address signs in at once', async () => {
    server = await startBackend({ trustProxy: true, loginMaxFailures: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn(server, 'agent1', `guess-${i}`, ATTACKER)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    // Even the right password is refused from the attacker's address.
    const fromAttacker = await signIn(server, 'agent1', 'demo', ATTACKER);
    expect(fromAttacker.status).toBe(429);
    expect(Number(fromAttacker.headers.get('retry-after'))).toBeGreaterThan(0);

    // The owner, from home, at once.
    const home = await signIn(server, 'agent1', 'demo', HOME);
    expect(home.status).toBe(200);
    expect(home.body.user.username).toBe('agent1');

    const admin = await login(server.url, 'admin');
    const limited = (await api(server.url, `/api/audit?action=${AuditAction.loginRateLimited}`, { token: admin.token })).body.entries as { target: string; details: { address: string; reason: string } }[];
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((e) => e.target === 'agent1' && e.details.address === ATTACKER && e.details.reason === 'pair')).toBe(true);
  });

  it('guesses spread over many addresses meet a growing delay per username, yet a clean address still gets in', async () => {
    server = await startBackend({ trustProxy: true, loginMaxFailures: 3, loginDelayMs: 5000 });
    for (let i = 0; i < 3; i++) expect((await signIn(server, 'agent2', `spread-${i}`, `203.0.113.${10 + i}`)).status).toBe(401);
    // The username has failed 3 times: an address that failed for it waits (5 s, doubling).
    const delayed = await signIn(server, 'agent2', 'spread-x', '203.0.113.10');
    expect(delayed.status).toBe(429);
    expect(delayed.body.error.message).toMatch(/many failed sign-ins/);
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThanOrEqual(4);
    // A new address is not delayed (its first guess is checked), and the owner's right password works.
    expect((await signIn(server, 'agent2', 'spread-y', '203.0.113.50')).status).toBe(401);
    expect((await signIn(server, 'agent2', 'demo', HOME)).status).toBe(200);
  });

  it('a hash made with older scrypt parameters still verifies and is replaced at today\'s cost on sign-in', async () => {
    server = await startBackend();
    const old = await new PasswordHasher({ N: 1 << 12 }).hash('demo');
    await server.db.kysely.updateTable('users').set({ password_hash: old }).where('username', '=', 'agent3').execute();
    await login(server.url, 'agent3');
    const row = await server.db.kysely.selectFrom('users').select('password_hash').where('username', '=', 'agent3').executeTakeFirstOrThrow();
    expect(row.password_hash).not.toBe(old);
    expect(parseHash(row.password_hash)).toMatchObject({ N: server.config.passwordScryptN, r: 8, p: 1 });
    // And it still signs in with the new hash.
    await login(server.url, 'agent3');
  });

  it('hashes at once are bounded: a burst past the queue gets 503 with Retry-After, never a 500, and the rest sign in', async () => {
    server = await startBackend({ passwordHashConcurrency: 1, passwordHashQueue: 1 });
    const results = await Promise.all(['agent1', 'agent2', 'agent3', 'super1', 'super2', 'admin'].map((u) => api(server.url, '/api/auth/login', { json: { username: u, password: 'demo' } })));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    const busy = results.find((r) => r.status === 503);
    expect(busy).toBeDefined();
    expect(busy!.body.error.code).toBe('unavailable');
    expect(Number(busy!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
