import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminQueuesResponse } from '../../shared/api/admin-queues';
import { type AdminUser, AdminUsersResponse } from '../../shared/api/users';
import { WsClose } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, startBackend, withTimeout, wsConnect, type TestBackend } from './helpers';

/** Issue 19: the Admin view's users and queues, the forced password change, a user's own change. */

async function users(server: TestBackend, admin: string): Promise<AdminUser[]> {
  const res = await api(server.url, '/api/admin/users', { token: admin });
  expect(res.status).toBe(200);
  return AdminUsersResponse.parse(res.body).users;
}

async function auditOf(server: TestBackend, target: string): Promise<{ action: string; details: Record<string, unknown> }[]> {
  const rows = await server.db.kysely.selectFrom('audit_log').select(['action', 'details']).where('target', '=', target).orderBy('id').execute();
  return rows.map((r) => ({ action: r.action, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Sends hello on a raw socket and resolves with how the server closed it. */
async function helloRefusal(server: TestBackend, token: string): Promise<number> {
  const socket = await wsConnect(server.url);
  socket.send({ type: 'hello', protocol: PROTOCOL_VERSION, token });
  return (await withTimeout(socket.closed, 3000, 'the socket to close')).code;
}

const NEW_USER = { username: 'newagent', displayName: 'New Agent', role: 'agent', queueIds: ['general'], password: 'first-pass-1' } as const;

describe('admin screens: users', () => {
  let server: TestBackend;
  let admin: string;
  beforeEach(async () => {
    server = await startBackend({ loginMaxFailures: 3 });
    admin = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server.close();
  });

  it('an admin creates a user who must change the password before anything else, then works', async () => {
    const created = await api(server.url, '/api/admin/users', { token: admin, json: NEW_USER });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ username: 'newagent', displayName: 'New Agent', role: 'agent', disabled: false, queueIds: ['general'], mustChangePassword: true });
    expect(JSON.stringify(created.body)).not.toContain('first-pass-1');
    // Membership applies to routing and the agents' queue list at once.
    const queues = await api(server.url, '/api/queues', { token: admin });
    expect(queues.body.queues.find((q: { id: string }) => q.id === 'general').memberIds).toContain(created.body.id);

    const first = await login(server.url, 'newagent', 'first-pass-1');
    expect(first.mustChangePassword).toBe(true);
    const refused = await api(server.url, '/api/queues', { token: first.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('password_change_required');
    expect((await api(server.url, '/api/me', { token: first.token })).body).toMatchObject({ mustChangePassword: true });
    expect(await helloRefusal(server, first.token)).toBe(WsClose.passwordChangeRequired);

    const wrong = await api(server.url, '/api/auth/password', { token: first.token, json: { currentPassword: 'not-it-at-all', newPassword: 'my-own-pass-2' } });
    expect(wrong.status).toBe(403);
    const short = await api(server.url, '/api/auth/password', { token: first.token, json: { currentPassword: 'first-pass-1', newPassword: 'short' } });
    expect(short.status).toBe(400);
    const changed = await api(server.url, '/api/auth/password', { token: first.token, json: { currentPassword: 'first-pass-1', newPassword: 'my-own-pass-2' } });
    expect(changed.status).toBe(200);
    expect((await api(server.url, '/api/queues', { token: first.token })).status).toBe(200);
    expect((await api(server.url, '/api/me', { token: first.token })).body).toMatchObject({ mustChangePassword: false });
    const socket = await wsConnect(server.url, first.token);
    expect(socket.frames.some((f) => f.type === 'hello.ok')).toBe(true);
    expect((await login(server.url, 'newagent', 'my-own-pass-2')).mustChangePassword).toBe(false);

    const audit = await auditOf(server, 'newagent');
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining([AuditAction.userCreated, AuditAction.passwordChangeFailed, AuditAction.passwordChanged]));
    expect(audit.find((a) => a.action === AuditAction.userCreated)!.details).toMatchObject({ role: 'agent', queues: ['general'], via: 'admin' });
    expect(audit.find((a) => a.action === AuditAction.passwordChanged)!.details).toMatchObject({ forced: true });
    expect(JSON.stringify(audit)).not.toMatch(/pass-[12]/);
  });

  it('refuses a taken username (409), an unknown queue (400), non-admins (403) and unknown ids (404)', async () => {
    expect((await api(server.url, '/api/admin/users', { token: admin, json: { ...NEW_USER, username: 'agent1' } })).status).toBe(409);
    expect((await api(server.url, '/api/admin/users', { token: admin, json: { ...NEW_USER, queueIds: ['nope'] } })).status).toBe(400);
    expect((await api(server.url, '/api/admin/users', { token: admin, json: { ...NEW_USER, password: 'short' } })).status).toBe(400);
    const agent = (await login(server.url, 'agent1')).token;
    expect((await api(server.url, '/api/admin/users', { token: agent, json: NEW_USER })).status).toBe(403);
    expect((await api(server.url, '/api/admin/users/no-such-user/reset-password', { token: admin, json: { password: 'temporary-1' } })).status).toBe(404);
    expect((await api(server.url, '/api/admin/users/no-such-user', { method: 'PUT', token: admin, json: { queueIds: [] } })).status).toBe(404);
    const id = (await users(server, admin)).find((u) => u.username === 'agent2')!.id;
    expect((await api(server.url, `/api/admin/users/${id}/reset-password`, { token: agent, json: { password: 'temporary-1' } })).status).toBe(403);
    expect(await auditOf(server, 'newagent')).toEqual([]);
  });

  it('a password reset ends the sessions (4410) and forces a change at the next sign-in', async () => {
    const before = await login(server.url, 'agent2');
    const socket = await wsConnect(server.url, before.token);
    const id = (await users(server, admin)).find((u) => u.username === 'agent2')!.id;
    const res = await api(server.url, `/api/admin/users/${id}/reset-password`, { token: admin, json: { password: 'temporary-1' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'agent2', mustChangePassword: true });
    expect((await withTimeout(socket.closed, 2000, 'the socket to close')).code).toBe(WsClose.accountChanged);
    expect((await api(server.url, '/api/auth/login', { json: { username: 'agent2', password: 'demo' } })).status).toBe(401);
    const next = await login(server.url, 'agent2', 'temporary-1');
    expect(next.mustChangePassword).toBe(true);
    expect((await api(server.url, '/api/interactions', { token: next.token })).body.error.code).toBe('password_change_required');
    expect((await auditOf(server, 'agent2')).map((a) => a.action)).toContain(AuditAction.userPasswordReset);
  });

  it('users change their own password any time: other sessions end, wrong current passwords are rate limited', async () => {
    const here = await login(server.url, 'agent3');
    const elsewhere = await login(server.url, 'agent3');
    const other = await wsConnect(server.url, elsewhere.token);
    const ok = await api(server.url, '/api/auth/password', { token: here.token, json: { currentPassword: 'demo', newPassword: 'agent3-new-pass' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, otherSessionsEnded: 1 });
    expect((await withTimeout(other.closed, 2000, 'the other socket to close')).code).toBe(WsClose.accountChanged);
    expect((await api(server.url, '/api/me', { token: here.token })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await api(server.url, '/api/auth/password', { token: here.token, json: { currentPassword: `wrong-${i}`, newPassword: 'whatever-123' } })).status).toBe(403);
    }
    const limited = await api(server.url, '/api/auth/password', { token: here.token, json: { currentPassword: 'agent3-new-pass', newPassword: 'whatever-123' } });
    expect(limited.status).toBe(429);
  });

  it('an admin changes role, display name and queues; queue changes apply to routing without a restart', async () => {
    const id = (await users(server, admin)).find((u) => u.username === 'agent3')!.id;
    const res = await api(server.url, `/api/admin/users/${id}`, { method: 'PUT', token: admin, json: { queueIds: ['general'], displayName: 'Agent Three' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Agent Three', queueIds: ['general'] });
    const queues = (await api(server.url, '/api/queues', { token: admin })).body.queues as { id: string; memberIds: string[] }[];
    expect(queues.find((q) => q.id === 'general')!.memberIds).toContain(id);
    expect(queues.find((q) => q.id === 'billing')!.memberIds).not.toContain(id);
    const entry = (await auditOf(server, 'agent3')).find((a) => a.action === AuditAction.userChanged)!;
    expect(entry.details).toMatchObject({ displayName: 'changed', queuesBefore: ['billing'], queuesAfter: ['general'] });
    expect(JSON.stringify(entry)).not.toContain('Agent Three');
  });
});

describe('admin screens: queues', () => {
  let server: TestBackend;
  let admin: string;
  beforeEach(async () => {
    server = await startBackend();
    admin = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server.close();
  });

  it('an admin creates and edits a queue; the widget offers it at once; each change is audited', async () => {
    const list = AdminQueuesResponse.parse((await api(server.url, '/api/admin/queues', { token: admin })).body);
    expect(list.queues.map((q) => q.id).sort()).toEqual(['billing', 'general']);
    const agentIds = (await users(server, admin)).filter((u) => u.role === 'agent').map((u) => u.id);

    const created = await api(server.url, '/api/admin/queues', { token: admin, json: { id: 'vip', name: 'VIP', dispositions: ['Done'], offerTimeoutMs: 20_000, chatCapacity: 1, memberIds: [agentIds[0]] } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: 'vip', name: 'VIP', dispositions: ['Done'], offerTimeoutMs: 20_000, chatCapacity: 1, memberIds: [agentIds[0]] });
    const widget = await api(server.url, '/api/widget/queues');
    expect(widget.body.queues.map((q: { id: string }) => q.id)).toContain('vip');

    const edited = await api(server.url, '/api/admin/queues/vip', { method: 'PUT', token: admin, json: { name: 'Premium', memberIds: [agentIds[1]], dispositions: ['Done', 'Escalated'], chatCapacity: null, offerTimeoutMs: 30_000 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Premium', memberIds: [agentIds[1]], dispositions: ['Done', 'Escalated'], chatCapacity: null, offerTimeoutMs: 30_000 });
    const agentQueues = (await api(server.url, '/api/queues', { token: admin })).body.queues as { id: string; name: string }[];
    expect(agentQueues.find((q) => q.id === 'vip')!.name).toBe('Premium');
    // The apps' local data hears of it through sync, as of the start-up publish.
    const synced = await server.db.kysely.selectFrom('sync_org_entities').select('data').where('kind', '=', 'queue').where('id', '=', 'vip').executeTakeFirst();
    expect(JSON.parse(synced!.data)).toMatchObject({ name: 'Premium', memberIds: [agentIds[1]] });

    const audit = await auditOf(server, 'vip');
    expect(audit.map((a) => a.action)).toEqual([AuditAction.queueCreated, AuditAction.queueChanged]);
    expect(audit[1]!.details).toMatchObject({ name: 'Premium', offerTimeoutMs: 30_000, chatCapacity: null, members: { added: [agentIds[1]], removed: [agentIds[0]] } });
  });

  it('refuses non-admins (403), unknown queues (404), a taken id (409) and bad settings (400)', async () => {
    const agent = (await login(server.url, 'agent1')).token;
    expect((await api(server.url, '/api/admin/queues', { token: agent })).status).toBe(403);
    expect((await api(server.url, '/api/admin/queues/general', { method: 'PUT', token: agent, json: { name: 'X' } })).status).toBe(403);
    expect((await api(server.url, '/api/admin/queues/nope', { method: 'PUT', token: admin, json: { name: 'X' } })).status).toBe(404);
    expect((await api(server.url, '/api/admin/queues', { token: admin, json: { id: 'general', name: 'G', dispositions: ['A'] } })).status).toBe(409);
    expect((await api(server.url, '/api/admin/queues', { token: admin, json: { id: 'x', name: 'X', dispositions: [] } })).status).toBe(400);
    expect((await api(server.url, '/api/admin/queues/general', { method: 'PUT', token: admin, json: { offerTimeoutMs: 10 } })).status).toBe(400);
    expect((await api(server.url, '/api/admin/queues/general', { method: 'PUT', token: admin, json: { memberIds: ['no-such-user'] } })).status).toBe(400);
    expect(await auditOf(server, 'x')).toEqual([]);
  });
});
