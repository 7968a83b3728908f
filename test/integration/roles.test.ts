import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../shared/api/errors';
import { AuditPage, AuditVerifyResponse } from '../../shared/api/http';
import type { ServerMessageOf } from '../../shared/api/ws';
import { api, isError, login, nextFrame, roundTrip, startBackend, wsConnect, type TestBackend } from './helpers';

describe('roles', () => {
  let server: TestBackend;
  beforeEach(async () => {
    server = await startBackend();
  });
  afterEach(async () => {
    await server.close();
  });

  it('the audit routes are for admins only: agent 403, supervisor 403, admin 200', async () => {
    const [agent, supervisor, admin] = await Promise.all([login(server.url, 'agent1'), login(server.url, 'super1'), login(server.url, 'admin')]);
    for (const path of ['/api/audit/verify', '/api/audit']) {
      for (const [who, token] of [
        ['agent', agent.token],
        ['supervisor', supervisor.token],
      ] as const) {
        const res = await api(server.url, path, { token });
        expect(res.status, `${who} ${path}`).toBe(403);
        const error = ErrorBody.parse(res.body).error;
        expect(error.code).toBe('forbidden');
        expect(error.message).toContain('admin');
        expect(error.message).toContain(who);
        expect(res.body).not.toHaveProperty('entries');
      }
      const ok = await api(server.url, path, { token: admin.token });
      expect(ok.status, `admin ${path}`).toBe(200);
    }
    expect(AuditVerifyResponse.parse((await api(server.url, '/api/audit/verify', { token: admin.token })).body).intact).toBe(true);
    expect(AuditPage.parse((await api(server.url, '/api/audit', { token: admin.token })).body).entries.length).toBeGreaterThan(0);
  });

  it('without a token the audit routes answer 401, not 403', async () => {
    for (const path of ['/api/audit/verify', '/api/audit']) {
      const res = await api(server.url, path);
      expect(res.status, path).toBe(401);
      expect(ErrorBody.parse(res.body).error.code).toBe('unauthenticated');
    }
  });

  it('presence.set from an admin is refused with forbidden; a supervisor may set their own', async () => {
    const admin = await login(server.url, 'admin');
    const ws = await wsConnect(server.url, admin.token);
    ws.send({ type: 'presence.set', presence: 'busy', id: 'a1' });
    const err = await nextFrame<ServerMessageOf<'error'>>(ws, isError('forbidden'));
    expect(err.ref).toBe('a1');
    expect(err.message).toContain('admin');
    await roundTrip(ws);
    expect(server.presence.get(admin.user.id)?.presence).toBe('available');
    expect(ws.frames.some((f) => f.type === 'presence.self' && f.presence === 'busy')).toBe(false);

    const supervisor = await login(server.url, 'super1');
    const sws = await wsConnect(server.url, supervisor.token);
    sws.send({ type: 'presence.set', presence: 'away' });
    await nextFrame(sws, (f) => f.type === 'presence.self' && f.presence === 'away');
  });

  it('agents get no roster: no snapshot after hello and no roster.changed for other agents', async () => {
    const a1 = await login(server.url, 'agent1');
    const a2 = await login(server.url, 'agent2');
    const supervisor = await login(server.url, 'super1');
    const ws1 = await wsConnect(server.url, a1.token);
    const sup = await wsConnect(server.url, supervisor.token);
    const ws2 = await wsConnect(server.url, a2.token);
    ws2.send({ type: 'presence.set', presence: 'busy' });
    // The supervisor sees it, so it was announced; agent1, checked after a round trip, did not get it.
    await nextFrame(sup, (f) => f.type === 'roster.changed' && f.agent.username === 'agent2' && f.agent.presence === 'busy');
    await roundTrip(ws1);
    expect(ws1.frames.filter((f) => f.type === 'roster.snapshot' || f.type === 'roster.changed')).toEqual([]);
  });

  it('the desktop app origin gets CORS answers; a foreign origin gets none', async () => {
    const preflight = await fetch(`${server.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'app://veildesk', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('app://veildesk');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);

    const foreign = await api(server.url, '/api/health', { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const foreignPreflight = await fetch(`${server.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull();

    // Every answer, errors included, carries the hardening headers.
    for (const res of [foreign, await api(server.url, '/api/me'), await api(server.url, '/api/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('a page on a foreign origin cannot open a connection; the desktop app origin can', async () => {
    await expect(wsConnect(server.url, undefined, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const { token } = await login(server.url, 'agent1');
    const ws = await wsConnect(server.url, token, { origin: 'app://veildesk' });
    await roundTrip(ws);
  });
});
