import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditVerifyResponse } from '../../shared/api/http';
import { AdminUsersResponse } from '../../shared/api/users';
import { AuditAction } from '../../server/modules/audit/actions';
import { AUDIT_KEY_FILE } from '../../server/modules/audit/audit-key';
import { AuditScheme, canonicalJson, entryHash, GENESIS_HASH } from '../../server/modules/audit/canonical';
import { startInProcess } from '../support/in-process';
import { onPostgres } from '../support/test-database';
import { api, login, startBackend, type TestBackend } from './helpers';

async function verify(server: { url: string }, token: string): Promise<AuditVerifyResponse> {
  const res = await api(server.url, '/api/audit/verify', { token });
  expect(res.status).toBe(200);
  return AuditVerifyResponse.parse(res.body);
}

async function history(server: TestBackend, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await server.audit.append({ actor: null, action: AuditAction.loginFailed, target: `ghost${i}`, details: { address: '127.0.0.1', reason: 'unknown_user' } });
}

describe('HMAC-keyed audit chain', () => {
  let server: TestBackend;
  let admin: string;
  beforeEach(async () => {
    server = await startBackend();
    admin = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server.close();
  });

  it('new entries are keyed; verify passes, and fails at an entry changed (even with a recomputed SHA-256)', async () => {
    await history(server, 3);
    const rows = await server.db.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.scheme)).toEqual(rows.map(() => AuditScheme.hmacSha256));
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 4 });

    // The key file: created at the first start, readable by the server's user only.
    const keyFile = path.join(server.dataDir, AUDIT_KEY_FILE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const target = rows[2]!;
    await server.db.kysely.updateTable('audit_log').set({ target: 'someone-else' }).where('id', '=', target.id).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 2, firstBadId: target.id });

    // Passing it off as an unkeyed entry (scheme 1 with its SHA-256 recomputed) does not help.
    const fields = { id: target.id, at: target.at, actorId: target.actor_id, actorName: target.actor_name, action: target.action, target: 'someone-else', details: JSON.parse(target.details) as Record<string, unknown>, prevHash: target.prev_hash };
    await server.db.kysely.updateTable('audit_log').set({ scheme: AuditScheme.sha256, hash: entryHash(fields) }).where('id', '=', target.id).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 2, firstBadId: target.id });
  });

  it('fails when the key is changed (a server with another key on the same data)', async () => {
    await history(server, 2);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 3 });
    // A second server on the same data with another key (as after losing or replacing the key file).
    const other = await startInProcess({ dataDir: server.dataDir, auditKey: 'a-different-audit-key-of-at-least-32-characters' });
    try {
      const token = (await login(other.url, 'admin')).token;
      expect(await verify(other, token)).toMatchObject({ intact: false, firstBadId: 1 });
    } finally {
      await other.close();
    }
    // And the entry the other server wrote (its admin's sign-in, id 4) is one the install's key does not vouch for.
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 3, firstBadId: 4 });
  });

  it('entries from before the chain was keyed stay verifiable, and are still protected by the keyed ones after them', async () => {
    // A log as migration 020 finds it: two unkeyed entries, the head marking them as the unkeyed part.
    await server.db.kysely.deleteFrom('audit_log').execute();
    let prevHash = GENESIS_HASH;
    for (const id of [1, 2]) {
      const fields = { id, at: new Date(Date.UTC(2026, 0, id)).toISOString(), actorId: null, actorName: null, action: AuditAction.userCreated, target: `old${id}`, details: { via: 'cli' }, prevHash };
      const hash = entryHash(fields);
      await server.db.kysely
        .insertInto('audit_log')
        .values({ id, at: fields.at, actor_id: null, actor_name: null, action: fields.action, target: fields.target, details: canonicalJson(fields.details), prev_hash: prevHash, hash, scheme: AuditScheme.sha256 })
        .execute();
      prevHash = hash;
    }
    await server.db.kysely.updateTable('audit_head').set({ last_id: 2, last_hash: prevHash, unkeyed_through: 2 }).where('singleton', '=', 1).execute();
    await history(server, 2);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 4 });

    // Rewriting an old entry and recomputing every unkeyed hash still breaks at the first keyed entry.
    const old = await server.db.kysely.selectFrom('audit_log').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    const forged = entryHash({ id: 2, at: old.at, actorId: null, actorName: null, action: old.action, target: 'forged', details: JSON.parse(old.details) as Record<string, unknown>, prevHash: old.prev_hash });
    await server.db.kysely.updateTable('audit_log').set({ target: 'forged', hash: forged }).where('id', '=', 2).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 2, firstBadId: 3 });
  });

  it('an entry is written in the same transaction as its effect: when the entry cannot be written, the change is not made', async () => {
    const users = AdminUsersResponse.parse((await api(server.url, '/api/admin/users', { token: admin })).body).users;
    const agent = users.find((u) => u.username === 'agent3')!;
    if (onPostgres()) {
      await sql`create function refuse_audit() returns trigger as $$ begin raise exception 'audit log unavailable'; end $$ language plpgsql`.execute(server.db.kysely);
      await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(server.db.kysely);
    } else {
      await sql`create trigger refuse_audit before insert on audit_log begin select raise(abort, 'audit log unavailable'); end`.execute(server.db.kysely);
    }
    const res = await api(server.url, `/api/admin/users/${agent.id}`, { method: 'PUT', token: admin, json: { disabled: true } });
    expect(res.status).toBe(500);
    await sql`drop trigger refuse_audit${sql.raw(onPostgres() ? ' on audit_log' : '')}`.execute(server.db.kysely);
    const row = await server.db.kysely.selectFrom('users').select('disabled').where('id', '=', agent.id).executeTakeFirstOrThrow();
    expect(row.disabled).toBe(0);
    expect((await login(server.url, 'agent3')).user.username).toBe('agent3');
  });
});
