import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors';
import { ClientConfig, HealthResponse, LoginResponse, MeResponse } from '../../shared/api/http';
import { PROTOCOL_VERSION } from '../../shared/version';
import { AuditAction } from '../../server/modules/audit/actions';
import { SERVER_VERSION } from '../../server/version';
import { api, login, startBackend, type TestBackend } from './helpers';

const WRONG = 'Wrong username or password.';

describe('health and sign-in', () => {
  let server: TestBackend;
  beforeEach(async () => {
    server = await startBackend();
  });
  afterEach(async () => {
    await server.close();
  });

  it('GET /api/health answers 200 with status ok and the product version', async () => {
    const res = await api(server.url, '/api/health');
    expect(res.status).toBe(200);
    expect(HealthResponse.parse(res.body)).toEqual({ status: 'ok', version: SERVER_VERSION });
    expect(SERVER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('GET /api/config tells clients the version, protocol and heartbeat, without signing in', async () => {
    const res = await api(server.url, '/api/config');
    expect(res.status).toBe(200);
    expect(ClientConfig.parse(res.body)).toMatchObject({ version: SERVER_VERSION, protocolVersion: PROTOCOL_VERSION, heartbeatMs: server.config.heartbeatMs });
  });

  it('agent1/demo signs in: 200 with a token and the user', async () => {
    const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'demo' } });
    expect(res.status).toBe(200);
    const body = LoginResponse.parse(res.body);
    expect(body.token).toMatch(/^vd_/);
    expect(body.user).toEqual({ id: expect.any(String), username: 'agent1', displayName: 'Ada Agent', role: 'agent' });
    expect(Object.keys(body.user).sort()).toEqual(['displayName', 'id', 'role', 'username']);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('a wrong password and an unknown user both get 401 unauthenticated with the same message', async () => {
    const wrong = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(ErrorBody.parse(wrong.body).error).toEqual({ code: 'unauthenticated', message: WRONG });

    const unknown = await api(server.url, '/api/auth/login', { json: { username: 'nobody', password: 'demo' } });
    expect(unknown.status).toBe(401);
    expect(ErrorBody.parse(unknown.body).error).toEqual({ code: 'unauthenticated', message: WRONG });
    expect(JSON.stringify(wrong.body)).not.toContain('demo');
  });

  it('GET /api/me: the user with a token; 401 without one or with a forged one', async () => {
    const { token, user } = await login(server.url, 'super1');
    const me = await api(server.url, '/api/me', { token });
    expect(me.status).toBe(200);
    expect(MeResponse.parse(me.body).user).toEqual(user);
    expect(user.role).toBe('supervisor');

    const none = await api(server.url, '/api/me');
    expect(none.status).toBe(401);
    expect(ErrorBody.parse(none.body).error.code).toBe('unauthenticated');

    // Same shape as a real token, but never issued; and one with a flipped character.
    for (const forged of [`vd_${'A'.repeat(43)}`, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), 'not-a-token']) {
      const res = await api(server.url, '/api/me', { token: forged });
      expect(res.status, forged).toBe(401);
      expect(ErrorBody.parse(res.body).error.code).toBe('unauthenticated');
    }
  });

  it('logout answers 200 and the same token is refused afterwards', async () => {
    const { token } = await login(server.url, 'agent2');
    const out = await api(server.url, '/api/auth/logout', { method: 'POST', token });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ ok: true });

    const me = await api(server.url, '/api/me', { token });
    expect(me.status).toBe(401);
    expect(ErrorBody.parse(me.body).error.code).toBe('unauthenticated');
    const again = await api(server.url, '/api/auth/logout', { method: 'POST', token });
    expect(again.status).toBe(401);
  });

  it('signing out one session leaves the user’s other sessions working', async () => {
    const first = await login(server.url, 'agent1');
    const second = await login(server.url, 'agent1');
    expect(first.token).not.toBe(second.token);
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token: first.token })).status).toBe(200);
    expect((await api(server.url, '/api/me', { token: first.token })).status).toBe(401);
    expect((await api(server.url, '/api/me', { token: second.token })).status).toBe(200);
  });

  it('passwords are stored as scrypt hashes, never in clear, and tokens only as hashes', async () => {
    const { token } = await login(server.url, 'admin');
    const users = await server.db.kysely.selectFrom('users').select(['username', 'password_hash']).execute();
    expect(users.map((u) => u.username).sort()).toEqual(['admin', 'agent1', 'agent2', 'agent3', 'privacy1', 'super1', 'super2']);
    for (const u of users) {
      expect(u.password_hash.startsWith('scrypt$'), u.username).toBe(true);
      expect(u.password_hash).not.toContain('demo');
    }
    // Two users with the same password get different hashes (salted).
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(users.length);

    const sessions = await server.db.kysely.selectFrom('sessions').selectAll().execute();
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(token);
  });
});

describe('sign-in rate limit', () => {
  let server: TestBackend;
  beforeEach(async () => {
    server = await startBackend({ loginMaxFailures: 3 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('after the limit of failures for a username, even the right password gets 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: `wrong${i}` } });
      expect(res.status).toBe(401);
    }
    const blocked = await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'demo' } });
    expect(blocked.status).toBe(429);
    expect(ErrorBody.parse(blocked.body).error.code).toBe('rate_limited');
    expect(blocked.body.error.message).toMatch(/try again/i);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(server.config.loginWindowMs / 1000);
    expect(blocked.body).not.toHaveProperty('token');

    // The limit is per (username, address): another user from the same address still signs in.
    await expect(login(server.url, 'agent2')).resolves.toMatchObject({ user: { username: 'agent2' } });

    // The refused attempt is audited, and no session was created for agent1.
    const admin = await login(server.url, 'admin');
    const audit = await api(server.url, `/api/audit?action=${AuditAction.loginRateLimited}`, { token: admin.token });
    expect(audit.body.entries).toEqual([expect.objectContaining({ target: 'agent1', actorId: null })]);
    const agent1 = await server.db.kysely.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow();
    expect(await server.db.kysely.selectFrom('sessions').selectAll().where('user_id', '=', agent1.id).execute()).toEqual([]);
  });

  // Regression: the limiter counts attempts still being verified, so guesses sent in parallel
  // cannot all pass the check before any of them is recorded as a failure.
  it('concurrent wrong guesses cannot get past the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(server.url, '/api/auth/login', { json: { username: 'agent1', password: `guess${i}` } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
  });
});

describe('session expiry', () => {
  let server: TestBackend;
  beforeEach(async () => {
    server = await startBackend({ sessionTtlMinutes: 1 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('a session lives for the configured TTL and an expired token gets 401', async () => {
    const before = Date.now();
    const { token, expiresAt } = await login(server.url, 'agent1');
    const ttl = new Date(expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(61_000);
    expect((await api(server.url, '/api/me', { token })).status).toBe(200);

    // Let the minute pass, honestly: move this session's expiry into the past.
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const updated = await server.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(1);

    const me = await api(server.url, '/api/me', { token });
    expect(me.status).toBe(401);
    expect(ErrorBody.parse(me.body).error).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/expired/) });
  });
});
