import { afterEach, describe, expect, it } from 'vitest';
import { AuditAction } from '../../server/modules/audit/actions';
import { api, login, nextFrame, startBackend, testClock, wsConnect, type Json, type TestBackend } from './helpers';
import { startInteraction } from './interactions-support';

const DAY = 24 * 60 * 60 * 1000;
const today = (): string => new Date().toISOString().slice(0, 10);

describe('privacy notice versions', () => {
  let server: TestBackend | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const publish = (s: TestBackend, token: string, body: Json) => api(s.url, '/api/admin/privacy-notices', { method: 'POST', token, json: body });
  const auditOf = async (s: TestBackend, token: string, action: string): Promise<Json[]> => (await api(s.url, `/api/audit?action=${action}&limit=500`, { token })).body.entries;

  it('only admins publish; bad input is a 400 naming the field; versions count up, are listed with their dates and audited without their text', async () => {
    server = await startBackend();
    const admin = (await login(server.url, 'admin')).token;
    const super1 = (await login(server.url, 'super1')).token;
    const agent = (await login(server.url, 'agent1')).token;

    expect((await publish(server, super1, { text: 'x', effectiveDate: today(), material: true })).status).toBe(403);
    expect((await publish(server, agent, { text: 'x', effectiveDate: today(), material: true })).status).toBe(403);
    expect((await api(server.url, '/api/admin/privacy-notices', { token: agent })).status).toBe(403);
    const bad = await publish(server, admin, { text: '', effectiveDate: 'soon', material: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: Json) => i.path).sort()).toEqual(['effectiveDate', 'material', 'text']);

    const first = await publish(server, admin, { text: 'We keep chats 30 days.', effectiveDate: '2026-01-01', material: true });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: '1', effectiveAt: '2026-01-01T00:00:00.000Z', material: true });
    const second = await publish(server, admin, { text: 'We keep chats 30 days (typo fixed).', effectiveDate: '2026-02-01T09:00:00Z', material: false });
    expect(second.body.version).toBe('2');

    const list = await api(server.url, '/api/admin/privacy-notices', { token: admin });
    expect(list.body.notices.map((n: Json) => [n.version, n.effectiveAt, n.current])).toEqual([
      ['2', '2026-02-01T09:00:00.000Z', true],
      ['1', '2026-01-01T00:00:00.000Z', false],
    ]);
    const entries = await auditOf(server, admin, AuditAction.privacyNoticePublished);
    expect(entries.map((e: Json) => e.details)).toEqual([
      { noticeId: first.body.id, version: '1', effectiveAt: '2026-01-01T00:00:00.000Z', material: true },
      { noticeId: second.body.id, version: '2', effectiveAt: '2026-02-01T09:00:00.000Z', material: false },
    ]);
    expect(JSON.stringify(entries)).not.toContain('30 days');
  });

  it('a published version cannot be changed: no route, and the database refuses UPDATE and DELETE', async () => {
    server = await startBackend();
    const admin = (await login(server.url, 'admin')).token;
    const notice = (await publish(server, admin, { text: 'Original.', effectiveDate: today(), material: true })).body;
    expect((await api(server.url, `/api/admin/privacy-notices/${notice.id}`, { method: 'PUT', token: admin, json: { text: 'Changed.' } })).status).toBe(404);
    await expect(server.db.kysely.updateTable('privacy_notices').set({ text: 'Changed.' }).where('id', '=', notice.id).execute()).rejects.toThrow(/immutable/);
    await expect(server.db.kysely.deleteFrom('privacy_notices').where('id', '=', notice.id).execute()).rejects.toThrow(/immutable/);
    expect((await api(server.url, '/api/privacy-notice')).body.notice.text).toBe('Original.');
  });

  it('the public current version is the latest whose effective date has come; it is rate-limited per address', async () => {
    const clock = testClock();
    server = await startBackend({ widgetStartsPerMinute: 4 }, { now: clock.now });
    const admin = (await login(server.url, 'admin')).token;
    expect((await api(server.url, '/api/privacy-notice')).body).toEqual({ notice: null });
    await publish(server, admin, { text: 'Now.', effectiveDate: new Date(Date.now() - DAY).toISOString(), material: true });
    await publish(server, admin, { text: 'Next week.', effectiveDate: new Date(Date.now() + 7 * DAY).toISOString(), material: true });
    expect((await api(server.url, '/api/privacy-notice')).body.notice).toMatchObject({ text: 'Now.', version: '1' });
    clock.advance(8 * DAY);
    expect((await api(server.url, '/api/privacy-notice')).body.notice).toMatchObject({ text: 'Next week.', version: '2' });
    for (let i = 0; i < 2; i++) await api(server.url, '/api/privacy-notice');
    const limited = await api(server.url, '/api/privacy-notice');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('staff who have not accepted the material version are refused on the WebSocket hello (4403 policy_not_accepted) until they accept; acceptance is stored once, audited and listed for admins', async () => {
    server = await startBackend();
    const admin = (await login(server.url, 'admin')).token;
    const agent = (await login(server.url, 'agent1')).token;
    // Before any notice nothing is asked.
    expect((await api(server.url, '/api/privacy-notice/mine', { token: agent })).body).toMatchObject({ current: null, mustAccept: false });
    await (await wsConnect(server.url, agent)).close();

    const notice = (await publish(server, admin, { text: 'Material change.', effectiveDate: today(), material: true })).body;
    expect((await api(server.url, '/api/privacy-notice/mine', { token: agent })).body).toMatchObject({ mustAccept: true, current: { id: notice.id }, acceptedAt: null });
    const refused = await wsConnect(server.url);
    refused.send({ type: 'hello', protocol: (await api(server.url, '/api/config')).body.protocolVersion, token: agent });
    const frame = await nextFrame(refused, (f) => f.type === 'error');
    expect(frame).toMatchObject({ code: 'policy_not_accepted' });
    expect((await refused.closed).code).toBe(4403);

    // History is gated over HTTP too (403 policy_not_accepted); sign-out and the notice routes are not.
    const history = await api(server.url, '/api/interactions', { token: agent });
    expect(history.status).toBe(403);
    expect(history.body.error.code).toBe('policy_not_accepted');
    expect((await api(server.url, '/api/me', { token: agent })).status).toBe(200);

    // Only the current version; an unknown id is a 409 that says what to do.
    const wrong = await api(server.url, '/api/privacy-notice/accept', { method: 'POST', token: agent, json: { noticeId: 'nope' } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('version 1');
    const accepted = await api(server.url, '/api/privacy-notice/accept', { method: 'POST', token: agent, json: { noticeId: notice.id } });
    expect(accepted.status).toBe(200);
    const again = await api(server.url, '/api/privacy-notice/accept', { method: 'POST', token: agent, json: { noticeId: notice.id } });
    expect(again.body.acceptedAt).toBe(accepted.body.acceptedAt);
    await (await wsConnect(server.url, agent)).close();
    expect((await api(server.url, '/api/interactions', { token: agent })).status).toBe(200);

    const audited = await auditOf(server, admin, AuditAction.privacyNoticeAccepted);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorName: 'agent1', details: { noticeId: notice.id, version: '1', material: true } });
    const listed = (await api(server.url, '/api/admin/privacy-notices', { token: admin })).body.notices[0];
    expect(listed.acceptances).toEqual([expect.objectContaining({ username: 'agent1', acceptedAt: accepted.body.acceptedAt })]);
    // The user cannot change it, not even through the database.
    await expect(server.db.kysely.updateTable('policy_acceptances').set({ accepted_at: '2000-01-01T00:00:00.000Z' }).execute()).rejects.toThrow(/cannot be changed/);

    // Other staff roles are gated too; a customer is not.
    const super1 = (await login(server.url, 'super1')).token;
    await expect(wsConnect(server.url, super1)).rejects.toThrow(/policy_not_accepted/);
    await expect(wsConnect(server.url, admin)).rejects.toThrow(/policy_not_accepted/);
  });

  it('a newer non-material version does not gate: it is announced as updated; a newer material one gates again', async () => {
    server = await startBackend();
    const admin = (await login(server.url, 'admin')).token;
    const agent = (await login(server.url, 'agent1')).token;
    const v1 = (await publish(server, admin, { text: 'One.', effectiveDate: '2026-01-01', material: true })).body;
    await api(server.url, '/api/privacy-notice/accept', { method: 'POST', token: agent, json: { noticeId: v1.id } });
    const v2 = (await publish(server, admin, { text: 'One (typo).', effectiveDate: '2026-02-01', material: false })).body;
    expect((await api(server.url, '/api/privacy-notice/mine', { token: agent })).body).toMatchObject({ mustAccept: false, updated: { noticeId: v2.id, effectiveAt: v2.effectiveAt } });
    await (await wsConnect(server.url, agent)).close();
    // Accepting the typo fix (dismissing in the app does not) clears the banner.
    await api(server.url, '/api/privacy-notice/accept', { method: 'POST', token: agent, json: { noticeId: v2.id } });
    expect((await api(server.url, '/api/privacy-notice/mine', { token: agent })).body.updated).toBeNull();
    await publish(server, admin, { text: 'Two.', effectiveDate: today(), material: true });
    expect((await api(server.url, '/api/privacy-notice/mine', { token: agent })).body.mustAccept).toBe(true);
  });

  it("the published version is the consent settings' notice version; a form still showing the old one gets 409", async () => {
    server = await startBackend();
    const admin = (await login(server.url, 'admin')).token;
    const before = (await api(server.url, '/api/widget/consent-settings')).body.notice.version;
    const notice = (await publish(server, admin, { text: 'New notice.', effectiveDate: today(), material: false })).body;
    expect((await api(server.url, '/api/widget/consent-settings')).body.notice.version).toBe(notice.version);
    const stale = await api(server.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', consents: ['training'], noticeVersion: before } });
    expect(stale.status).toBe(409);
    const started = await startInteraction(server, { consents: ['training'], noticeVersion: notice.version });
    const records = (await api(server.url, `/api/interactions/${started.interactionId}/consents`, { token: admin })).body.consents;
    expect(records[0].noticeVersion).toBe(notice.version);
    // The consent settings cannot set another version while a published one is in force.
    const settings = (await api(server.url, '/api/admin/consent-settings', { token: admin })).body;
    expect(settings.noticeVersion).toBe(notice.version);
    const edited = await api(server.url, '/api/admin/consent-settings', { method: 'PUT', token: admin, json: { ...settings, noticeVersion: '2027-01' } });
    expect(edited.status).toBe(409);
    expect(edited.body.error.message).toContain('Admin → Policy');
    expect((await api(server.url, '/api/admin/consent-settings', { method: 'PUT', token: admin, json: settings })).status).toBe(200);
  });
});
