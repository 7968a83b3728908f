import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditPage, AuditVerifyResponse, type AuditEntry } from '../../shared/api/http';
import { WsClose } from '../../shared/api/ws';
import { AuditAction } from '../../server/modules/audit/actions';
import { entryHash } from '../../server/modules/audit/canonical';
import { api, countRows, login, nextFrame, startBackend, waitFor, wsConnect, type TestBackend } from './helpers';

async function allEntries(server: TestBackend, token: string): Promise<AuditEntry[]> {
  const res = await api(server.url, '/api/audit?limit=500', { token });
  expect(res.status).toBe(200);
  return AuditPage.parse(res.body).entries;
}

async function verify(server: TestBackend, token: string): Promise<AuditVerifyResponse> {
  const res = await api(server.url, '/api/audit/verify', { token });
  expect(res.status).toBe(200);
  return AuditVerifyResponse.parse(res.body);
}

/**
 * Some history, appended through the server's own AuditLog (the same code every route uses), so
 * the tamper tests do not pay for a scrypt hash per entry.
 */
async function makeHistory(server: TestBackend, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await server.audit.append({ actor: null, action: AuditAction.loginFailed, target: `ghost${i}`, details: { address: '127.0.0.1', reason: 'unknown_user' } });
  }
}

describe('audit log', () => {
  let server: TestBackend;
  let admin: string;
  beforeEach(async () => {
    server = await startBackend({ presenceGraceMs: 300, heartbeatMs: 1000 });
    admin = (await login(server.url, 'admin')).token;
  });
  afterEach(async () => {
    await server.close();
  });

  it('records sign-in, failed sign-in, presence changes and sign-out with the right action and actor', async () => {
    const agent = await login(server.url, 'agent1');
    await api(server.url, '/api/auth/login', { json: { username: 'agent2', password: 'guess' } });
    await api(server.url, '/api/auth/login', { json: { username: 'nobody', password: 'guess' } });
    const ws = await wsConnect(server.url, agent.token);
    ws.send({ type: 'presence.set', presence: 'busy' });
    await nextFrame(ws, (f) => f.type === 'presence.self' && f.presence === 'busy');
    expect((await api(server.url, '/api/auth/logout', { method: 'POST', token: agent.token })).status).toBe(200);
    expect((await ws.closed).code).toBe(WsClose.signedOut);
    await waitFor(async () => (await allEntries(server, admin)).some((e) => e.details.reason === 'signed_out'), 5000, 'sign-out presence entry');

    const entries = await allEntries(server, admin);
    const summary = entries.map((e) => ({ action: e.action, actor: e.actorName, target: e.target }));
    expect(summary).toEqual([
      { action: AuditAction.login, actor: 'admin', target: 'admin' },
      { action: AuditAction.login, actor: 'agent1', target: 'agent1' },
      { action: AuditAction.loginFailed, actor: null, target: 'agent2' },
      { action: AuditAction.loginFailed, actor: null, target: 'nobody' },
      { action: AuditAction.presenceChanged, actor: 'agent1', target: 'agent1' },
      { action: AuditAction.presenceChanged, actor: 'agent1', target: 'agent1' },
      { action: AuditAction.logout, actor: 'agent1', target: 'agent1' },
      { action: AuditAction.presenceChanged, actor: null, target: 'agent1' },
    ]);
    expect(entries[1]!.actorId).toBe(agent.user.id);
    expect(entries[2]!.details).toMatchObject({ reason: 'wrong_password' });
    expect(entries[3]!.details).toMatchObject({ reason: 'unknown_user' });
    expect(entries.slice(4).filter((e) => e.action === AuditAction.presenceChanged).map((e) => e.details)).toEqual([
      { from: 'offline', to: 'available', reason: 'connected' },
      { from: 'available', to: 'busy', reason: 'chosen' },
      { from: 'busy', to: 'offline', reason: 'signed_out' },
    ]);
    // The sign-in and sign-out name the same session; no entry carries a password or token.
    expect(entries[1]!.details.sessionId).toBe(entries[6]!.details.sessionId);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('guess');
    expect(text).not.toContain(agent.token);
    // Ids run 1..n and each entry links to the previous one.
    expect(entries.map((e) => e.id)).toEqual(entries.map((_, i) => i + 1));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
  });

  it('a dropped connection is audited as offline after the grace period, by no actor', async () => {
    const agent = await login(server.url, 'agent3');
    const ws = await wsConnect(server.url, agent.token);
    await ws.close();
    await waitFor(async () => (await allEntries(server, admin)).some((e) => e.details.reason === 'disconnected'), 5000, 'disconnect entry');
    const last = (await allEntries(server, admin)).at(-1)!;
    expect(last).toMatchObject({ action: AuditAction.presenceChanged, actorId: null, actorName: null, target: 'agent3', details: { from: 'available', to: 'offline', reason: 'disconnected' } });
  });

  it('pages with after/limit and nextAfter, filters by action, and verify counts every entry', async () => {
    await makeHistory(server, 6);
    const all = await allEntries(server, admin);
    expect(all).toHaveLength(7);

    const seen: number[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const res = await api(server.url, `/api/audit?after=${after}&limit=3`, { token: admin });
      const page = AuditPage.parse(res.body);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.id));
      pages += 1;
      if (page.nextAfter === null) break;
      expect(page.nextAfter).toBe(page.entries.at(-1)!.id);
      after = page.nextAfter;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((e) => e.id));

    // Exactly one page's worth left: no next page is announced.
    const tail = AuditPage.parse((await api(server.url, '/api/audit?after=4&limit=3', { token: admin })).body);
    expect(tail).toMatchObject({ nextAfter: null });
    expect(tail.entries.map((e) => e.id)).toEqual([5, 6, 7]);

    const failed = AuditPage.parse((await api(server.url, `/api/audit?action=${AuditAction.loginFailed}`, { token: admin })).body);
    expect(failed.entries).toHaveLength(6);
    expect(failed.entries.every((e) => e.action === AuditAction.loginFailed)).toBe(true);

    expect(await verify(server, admin)).toEqual({ intact: true, entries: all.length });
    expect(await countRows(server, 'audit_log')).toBe(all.length);
  });

  it('an edited entry breaks verification at that entry', async () => {
    await makeHistory(server, 5);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 6 });
    await server.db.kysely.updateTable('audit_log').set({ details: '{"address":"10.0.0.1","reason":"unknown_user"}' }).where('id', '=', 3).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 2, firstBadId: 3 });
  });

  it('editing any hashed column is detected', async () => {
    await makeHistory(server, 3);
    const edits = [
      { target: 'someone-else' },
      { action: AuditAction.login },
      { at: '2020-01-01T00:00:00.000Z' },
      { actor_name: 'admin' },
    ] as const;
    for (const edit of edits) {
      const original = await server.db.kysely.selectFrom('audit_log').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
      await server.db.kysely.updateTable('audit_log').set(edit).where('id', '=', 2).execute();
      expect(await verify(server, admin), JSON.stringify(edit)).toEqual({ intact: false, entries: 1, firstBadId: 2 });
      await server.db.kysely.updateTable('audit_log').set(original).where('id', '=', 2).execute();
      expect(await verify(server, admin)).toEqual({ intact: true, entries: 4 });
    }
  });

  it('a deleted middle entry is reported at the entry after it', async () => {
    await makeHistory(server, 5);
    await server.db.kysely.deleteFrom('audit_log').where('id', '=', 4).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 3, firstBadId: 5 });
  });

  it('a deleted newest entry is detected too', async () => {
    await makeHistory(server, 4);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 5 });
    await server.db.kysely.deleteFrom('audit_log').where('id', '=', 5).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 4, firstBadId: 5 });
    // And so is deleting the last two.
    await server.db.kysely.deleteFrom('audit_log').where('id', '=', 4).execute();
    expect(await verify(server, admin)).toEqual({ intact: false, entries: 3, firstBadId: 4 });
  });

  // Regression: the newest entry rewritten together with its own (unkeyed) hash walks clean; only
  // audit_head disagrees. verify() once named the non-existent entry n+1 here instead of n.
  it('a rewritten newest entry with a recomputed hash is reported at that entry', async () => {
    await makeHistory(server, 3);
    const last = await server.db.kysely.selectFrom('audit_log').selectAll().where('id', '=', 4).executeTakeFirstOrThrow();
    const forged = { target: 'someone-else' };
    const hash = entryHash({
      id: last.id,
      at: last.at,
      actorId: last.actor_id,
      actorName: last.actor_name,
      action: last.action,
      target: forged.target,
      details: JSON.parse(last.details) as Record<string, unknown>,
      prevHash: last.prev_hash,
    });
    await server.db.kysely.updateTable('audit_log').set({ target: forged.target, hash }).where('id', '=', 4).execute();
    const result = await verify(server, admin);
    expect(result.intact).toBe(false);
    expect(result).toEqual({ intact: false, entries: 3, firstBadId: 4 });
  });

  // 650: more than one group (500 at most) and more than one insert slice (200 rows).
  it('hundreds of appends at once (a reconnect storm) are written in call order, one chain, each caller told its own entry', async () => {
    const targets = Array.from({ length: 650 }, (_, i) => `burst${i}`);
    const written = await Promise.all(targets.map((target) => server.audit.append({ actor: null, action: AuditAction.loginFailed, target, details: { address: '127.0.0.1', reason: 'unknown_user' } })));
    // Each caller got the entry it asked for; ids follow the order of the calls, with no gap.
    expect(written.map((e) => e.target)).toEqual(targets);
    const firstId = written[0]!.id;
    expect(written.map((e) => e.id)).toEqual(targets.map((_, i) => firstId + i));
    for (let i = 1; i < written.length; i++) expect(written[i]!.prevHash).toBe(written[i - 1]!.hash);
    // One more after the burst chains on its last entry, and the whole log verifies.
    const after = await server.audit.append({ actor: null, action: AuditAction.loginFailed, target: 'after', details: { address: '127.0.0.1', reason: 'unknown_user' } });
    expect(after.prevHash).toBe(written.at(-1)!.hash);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 1 + targets.length + 1 });
  });

  it('new entries appended after a verify keep the chain intact', async () => {
    await makeHistory(server, 2);
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 3 });
    await login(server.url, 'agent1');
    expect(await verify(server, admin)).toEqual({ intact: true, entries: 4 });
  });
});
