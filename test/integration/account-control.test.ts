import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminUsersResponse } from '../../shared/api/users';
import { WsClose } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, startBackend, withTimeout, wsConnect, type TestBackend } from './helpers';

async function userId(server: TestBackend, admin: string, username: string): Promise<string> {
  const res = await api(server.url, '/api/admin/users', { token: admin });
  expect(res.status).toBe(200);
  return AdminUsersResponse.parse(res.body).users.find((u) => u.username === username)!.id;
}

async function auditActions(server: TestBackend, target: string): Promise<string[]> {
  const rows = await server.db.kysely.selectFrom('audit_log').select('action').where('target', '=', target).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('admins control staff accounts', () => {
  let server: TestBackend;
  let admin: string;
  beforeEach(async () => {
    server = await startBackend({ presenceGraceMs: 10_000, heartbeatMs: 5_000 });
    admin = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server.close();
  });

  it('disabling a user closes their open socket at once (4410), ends their sessions and refuses sign-in', async () => {
    const agent = await login(server.url, 'agent1');
    const socket = await wsConnect(server.url, agent.token);
    const id = await userId(server, admin, 'agent1');
    const started = Date.now();
    const res = await api(server.url, `/api/admin/users/${id}`, { method: 'PUT', token: admin, json: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'agent1', disabled: true });
    const closed = await withTimeout(socket.closed, 2000, 'the socket to close');
    expect(closed.code).toBe(WsClose.accountChanged);
    // Not the presence grace (10 s) nor a heartbeat (5 s): at once.
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await api(server.url, '/api/me', { token: agent.token })).status).toBe(401);
    expect((await api(server.url, '/api/auth/login', { json: { username: 'agent1', password: 'demo' } })).status).toBe(401);
    expect(await auditActions(server, 'agent1')).toContain(AuditAction.userDisabled);

    await api(server.url, `/api/admin/users/${id}`, { method: 'PUT', token: admin, json: { disabled: false } });
    expect((await login(server.url, 'agent1')).user.username).toBe('agent1');
  });

  it('changing a role closes the socket and the next sign-in carries the new role', async () => {
    const before = await login(server.url, 'super2');
    const socket = await wsConnect(server.url, before.token);
    const id = await userId(server, admin, 'super2');
    const res = await api(server.url, `/api/admin/users/${id}`, { method: 'PUT', token: admin, json: { role: 'agent' } });
    expect(res.status).toBe(200);
    expect((await withTimeout(socket.closed, 2000, 'the socket to close')).code).toBe(WsClose.accountChanged);
    expect((await api(server.url, '/api/me', { token: before.token })).status).toBe(401);
    expect((await login(server.url, 'super2')).user.role).toBe('agent');
    const [entry] = await server.db.kysely.selectFrom('audit_log').select('details').where('action', '=', AuditAction.userRoleChanged).execute();
    expect(JSON.parse(entry!.details)).toMatchObject({ before: 'supervisor', after: 'agent', sessionsEnded: 1 });
  });

  it('an admin revokes all of a user’s sessions: sockets closed, tokens refused, audited; others are refused', async () => {
    const first = await login(server.url, 'agent2');
    const second = await login(server.url, 'agent2');
    const socket = await wsConnect(server.url, first.token);
    const id = await userId(server, admin, 'agent2');
    const agent1 = (await login(server.url, 'agent1')).token;
    expect((await api(server.url, `/api/admin/users/${id}/revoke-sessions`, { method: 'POST', token: agent1 })).status).toBe(403);
    expect((await api(server.url, '/api/admin/users/no-such-user/revoke-sessions', { method: 'POST', token: admin })).status).toBe(404);

    const res = await api(server.url, `/api/admin/users/${id}/revoke-sessions`, { method: 'POST', token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: 2 });
    expect((await withTimeout(socket.closed, 2000, 'the socket to close')).code).toBe(WsClose.accountChanged);
    for (const token of [first.token, second.token]) expect((await api(server.url, '/api/me', { token })).status).toBe(401);
    expect(await auditActions(server, 'agent2')).toContain(AuditAction.userSessionsRevoked);
    // The account itself still works.
    expect((await login(server.url, 'agent2')).user.username).toBe('agent2');
  });

  it('refuses to disable oneself (409) and an empty change (400), writing nothing to the audit log', async () => {
    const self = await userId(server, admin, 'admin');
    const entries = async () => Number((await server.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const count = await entries();
    expect((await api(server.url, `/api/admin/users/${self}`, { method: 'PUT', token: admin, json: { disabled: true } })).status).toBe(409);
    expect((await api(server.url, `/api/admin/users/${self}`, { method: 'PUT', token: admin, json: {} })).status).toBe(400);
    expect(await entries()).toBe(count);
  });
});
