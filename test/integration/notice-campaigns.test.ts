import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoticeCampaign } from '../../shared/api/notice-campaigns';
import { seedHistory } from '../../server/modules/sync/history-seed';
import { startInProcess, type InProcessServer } from '../support/in-process';
import { api, closeSockets, login, startBackend, testClock, waitFor, type TestBackend } from './helpers';
import { connectAgent, INTERACTION_DEFAULTS, startInteraction } from './interactions-support';
import { finishedChat } from './privacy-support';
import { DAY_MS } from './retention-support';
import { perAddress, startSmtp, type TestSmtp } from '../support/smtp';

const NOTICE = 'We changed how long we keep call recordings. Read the new privacy notice at https://veildesk.example/privacy.';

async function startCampaign(url: string, token: string, body: object = { text: NOTICE }): Promise<NoticeCampaign> {
  const res = await api<NoticeCampaign>(url, '/api/admin/notice-campaigns', { token, json: body });
  if (res.status !== 202) throw new Error(`start → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function campaign(url: string, token: string, id: string): Promise<NoticeCampaign> {
  const res = await api<NoticeCampaign>(url, `/api/admin/notice-campaigns/${id}`, { token });
  if (res.status !== 200) throw new Error(`campaign → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function completed(url: string, token: string, id: string, timeoutMs = 20_000): Promise<NoticeCampaign> {
  await waitFor(async () => (await campaign(url, token, id)).status === 'completed', timeoutMs, 'campaign completed');
  return campaign(url, token, id);
}

async function auditOf(url: string, token: string, action: string): Promise<{ actorName: string | null; target: string; details: Record<string, unknown> }[]> {
  const res = await api(url, `/api/audit?action=${action}`, { token });
  return res.body.entries;
}

describe('notice campaigns by e-mail', { timeout: 60_000 }, () => {
  let server: TestBackend | undefined;
  let smtp: TestSmtp | undefined;
  afterEach(async () => {
    await server?.close();
    await smtp?.close();
    server = undefined;
    smtp = undefined;
  });

  it('without SMTP settings an admin is refused with 409 naming the variables; other roles get 403; bad input 400', async () => {
    server = await startBackend();
    const admin = await login(server.url, 'admin');
    const refused = await api(server.url, '/api/admin/notice-campaigns', { token: admin.token, json: { text: NOTICE } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('VEILDESK_SMTP_HOST');
    expect(refused.body.error.message).toContain('VEILDESK_SMTP_FROM');
    for (const username of ['agent1', 'super1']) {
      const { token } = await login(server.url, username);
      expect((await api(server.url, '/api/admin/notice-campaigns', { token, json: { text: NOTICE } })).status).toBe(403);
      expect((await api(server.url, '/api/admin/notice-campaigns', { token })).status).toBe(403);
      expect((await api(server.url, '/api/admin/notice-campaigns/x', { token })).status).toBe(403);
    }
    expect((await api(server.url, '/api/admin/notice-campaigns', { json: { text: NOTICE } })).status).toBe(401);
    const bad = await api(server.url, '/api/admin/notice-campaigns', { token: admin.token, json: { text: '  ', subject: 'two\nlines' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/text: write the notice text/);
    expect(bad.body.error.message).toMatch(/subject: a subject is one line/);
    expect((await api(server.url, '/api/admin/notice-campaigns/nope', { token: admin.token })).status).toBe(404);
    expect((await api(server.url, '/api/admin/notice-campaigns', { token: admin.token })).body).toEqual({ campaigns: [] });
  });

  it('sends exactly one notice per distinct customer e-mail on record, rate-limited; none to erased customers or past the contacts retention', async () => {
    smtp = await startSmtp();
    const clock = testClock();
    server = await startBackend({ ...INTERACTION_DEFAULTS, smtp: smtp.config, noticeRatePerSecond: 4 }, { now: clock.now });
    const admin = await login(server.url, 'admin');
    const agent = await connectAgent(server, 'agent1');
    // 400 days ago (the demo org keeps contact fields 365 days): no longer on record.
    await finishedChat(server, agent, { name: 'Olga Old', email: 'olga.old@example.test' }, { customer: ['hello'], agent: ['hi'] }, 'done');
    clock.advance(400 * DAY_MS);
    // Erased before the campaign: never a recipient.
    const erasedEarly = await finishedChat(server, agent, { name: 'Erin Early', email: 'erin.early@example.test' }, { customer: ['hello'], agent: ['hi'] }, 'done');
    expect((await api(server.url, `/api/interactions/${erasedEarly}/erase`, { method: 'POST', token: admin.token })).status).toBe(200);
    // Newest first: the oldest address on record is sent last; erased while the campaign runs, it is skipped.
    const erasedLater = await finishedChat(server, agent, { name: 'Eli Late', email: 'eli.late@example.test' }, { customer: ['hello'], agent: ['hi'] }, 'done');
    // Customers through the widget, one of them twice with another case.
    await finishedChat(server, agent, { name: 'Ann', email: 'ann@example.test' }, { customer: ['hello'], agent: ['hi'] }, 'done');
    await startInteraction(server, { customer: { name: 'Ann again', email: 'ANN@Example.test' } });
    await startInteraction(server, { customer: { name: 'Bo', email: 'bo@example.test' } });
    await startInteraction(server, { customer: { name: 'Cy', email: 'cy@example.test' } });
    await startInteraction(server, { customer: { name: 'No e-mail' } });
    await startInteraction(server, { queueId: 'billing', customer: { name: 'Dee', email: 'dee@example.test' } });

    const started = await startCampaign(server.url, admin.token, { subject: 'Our privacy notice changed', text: NOTICE });
    expect(started).toMatchObject({ status: 'running', subject: 'Our privacy notice changed', text: NOTICE, createdBy: 'admin', counts: { total: 5 } });
    expect((await api(server.url, `/api/interactions/${erasedLater}/erase`, { method: 'POST', token: admin.token })).status).toBe(200);
    // One at a time.
    expect((await api(server.url, '/api/admin/notice-campaigns', { token: admin.token, json: { text: NOTICE } })).status).toBe(409);

    const done = await completed(server.url, admin.token, started.id);
    expect(done.counts).toEqual({ total: 5, sent: 4, failed: 0, pending: 0, skipped: 1 });
    expect(done.failures).toEqual([]);
    expect(Object.fromEntries(perAddress(smtp.received))).toEqual({ 'ann@example.test': 1, 'bo@example.test': 1, 'cy@example.test': 1, 'dee@example.test': 1 });
    for (const mail of smtp.received) {
      expect(mail.to).toHaveLength(1);
      expect(mail.from).toBe('privacy@veildesk.test');
      expect(mail.raw).toContain('Subject: Our privacy notice changed');
      expect(mail.raw.replace(/=\r\n/g, '')).toContain('We changed how long we keep call recordings.');
      // Nobody sees another customer's address.
      expect(mail.raw.match(/@example\.test/gi)).toHaveLength(1);
    }
    // At most 4 a second: 250 ms between messages (the first also waits for the connection and its login, so count from the second).
    const times = smtp.received.map((m) => m.at);
    expect(times[3]! - times[1]!).toBeGreaterThanOrEqual(2 * 250 - 60);

    // Nothing kept of the addresses but their digests; no address in any answer or the audit log.
    const rows = await server.db.kysely.selectFrom('notice_campaign_recipients').selectAll().where('campaign_id', '=', started.id).execute();
    expect(rows.map((r) => r.email)).toEqual([null, null, null, null, null]);
    expect(rows.filter((r) => r.state === 'sent').every((r) => /^[0-9a-f]{64}$/.test(r.email_hash ?? ''))).toBe(true);
    expect(rows.find((r) => r.interaction_id === erasedLater)).toMatchObject({ state: 'skipped', email_hash: null, last_error: 'erased' });
    const list = await api(server.url, '/api/admin/notice-campaigns', { token: admin.token });
    expect(list.body.campaigns.map((c: NoticeCampaign) => c.id)).toEqual([started.id]);
    const startedAudit = await auditOf(server.url, admin.token, 'notice_campaign.started');
    expect(startedAudit).toEqual([expect.objectContaining({ actorName: 'admin', target: started.id, details: { campaignId: started.id, total: 5 } })]);
    const completedAudit = await auditOf(server.url, admin.token, 'notice_campaign.completed');
    expect(completedAudit).toEqual([expect.objectContaining({ actorName: null, details: { campaignId: started.id, total: 5, sent: 4, failed: 0, pending: 0, skipped: 1 } })]);
    expect(JSON.stringify([list.body, await api(server.url, '/api/audit', { token: admin.token }).then((r) => r.body)])).not.toMatch(/example\.test/i);
  });

  it('counts SMTP failures: a 5xx refusal fails at once, a 4xx is retried up to the limit, a passing one is sent on its retry', async () => {
    smtp = await startSmtp({
      refuse: (address, attempt) => {
        if (address === 'gone@example.test') return { code: 550, message: `5.1.1 <${address}> no such mailbox` };
        if (address === 'busy@example.test') return { code: 451, message: '4.3.0 try again later' };
        if (address === 'flaky@example.test' && attempt === 1) return { code: 451, message: '4.3.0 try again later' };
        return null;
      },
    });
    server = await startBackend({ smtp: smtp.config, noticeRatePerSecond: 50, noticeMaxAttempts: 3, noticeRetryMs: 20 });
    const admin = await login(server.url, 'admin');
    for (const email of ['ok@example.test', 'gone@example.test', 'busy@example.test', 'flaky@example.test']) await startInteraction(server, { customer: { name: 'Customer', email } });

    // Two starts at once: one runs, the other is refused.
    const both = await Promise.all([1, 2].map(() => api<NoticeCampaign>(server!.url, '/api/admin/notice-campaigns', { token: admin.token, json: { text: NOTICE } })));
    expect(both.map((r) => r.status).sort()).toEqual([202, 409]);
    const started = both.find((r) => r.status === 202)!.body;
    const done = await completed(server.url, admin.token, started.id);
    expect(done.counts).toEqual({ total: 4, sent: 2, failed: 2, pending: 0, skipped: 0 });
    expect(done.failures).toEqual([
      { reason: 'smtp_451', count: 1 },
      { reason: 'smtp_550', count: 1 },
    ]);
    expect(Object.fromEntries(smtp.attempts)).toEqual({ 'ok@example.test': 1, 'gone@example.test': 1, 'busy@example.test': 3, 'flaky@example.test': 2 });
    expect(Object.fromEntries(perAddress(smtp.received))).toEqual({ 'ok@example.test': 1, 'flaky@example.test': 1 });
    // The server's reply quoted the address: only its code is kept.
    const rows = await server.db.kysely.selectFrom('notice_campaign_recipients').select(['email', 'last_error', 'attempts']).where('state', '=', 'failed').execute();
    expect(rows).toEqual(expect.arrayContaining([{ email: null, last_error: 'smtp_550', attempts: 1 }, { email: null, last_error: 'smtp_451', attempts: 3 }]));
  });
  it('an SMTP server that cannot be reached: each address is tried up to the limit, then counted as failed with the connection error', async () => {
    const unreachable = await startSmtp();
    const config = unreachable.config;
    await unreachable.close();
    server = await startBackend({ smtp: config, noticeRatePerSecond: 50, noticeMaxAttempts: 2, noticeRetryMs: 10 });
    const admin = await login(server.url, 'admin');
    for (const email of ['ann@example.test', 'bo@example.test']) await startInteraction(server, { customer: { name: 'Customer', email } });
    const started = await startCampaign(server.url, admin.token);
    const done = await completed(server.url, admin.token, started.id);
    expect(done.counts).toEqual({ total: 2, sent: 0, failed: 2, pending: 0, skipped: 0 });
    expect(done.failures).toHaveLength(1);
    expect(done.failures[0]).toMatchObject({ reason: expect.stringMatching(/^E[A-Z]+$/), count: 2 });
    const rows = await server.db.kysely.selectFrom('notice_campaign_recipients').select(['email', 'attempts']).execute();
    expect(rows).toEqual([
      { email: null, attempts: 2 },
      { email: null, attempts: 2 },
    ]);
  });
});

describe('a notice campaign across a restart', { timeout: 90_000 }, () => {
  const servers: InProcessServer[] = [];
  let smtp: TestSmtp | undefined;
  let dataDir = '';
  afterEach(async () => {
    await closeSockets();
    for (const s of servers.splice(0)) await s.close();
    await smtp?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes with the rest after the server stopped mid-run: every address once, none twice', async () => {
    smtp = await startSmtp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-notices-'));
    const settings = { dataDir, smtp: smtp.config, noticeRatePerSecond: 5 };
    const first = await startInProcess(settings);
    servers.push(first);
    const agent = await first.db.kysely.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow();
    // 12 closed interactions of 12 customers (customer1@example.test …), written as the server stores them.
    await seedHistory(first.db, { agentId: agent.id, queueId: 'general', interactions: 12, messages: 12 });
    const admin = await login(first.url, 'admin');
    const started = await startCampaign(first.url, admin.token);
    expect(started.counts.total).toBe(12);

    await waitFor(() => smtp!.received.length >= 4, 15_000, '4 notices sent');
    await first.close();
    servers.splice(0);
    const beforeRestart = smtp.received.length;
    expect(beforeRestart).toBeLessThan(12);
    const stopped = await startInProcess(settings);
    servers.push(stopped);
    const admin2 = await login(stopped.url, 'admin');
    const done = await completed(stopped.url, admin2.token, started.id, 30_000);
    expect(done.counts).toEqual({ total: 12, sent: 12, failed: 0, pending: 0, skipped: 0 });
    const counts = perAddress(smtp.received);
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(smtp.received.length).toBe(12);
    const resumed = await auditOf(stopped.url, admin2.token, 'notice_campaign.resumed');
    expect(resumed).toEqual([expect.objectContaining({ actorName: null, details: { campaignId: started.id, total: 12, sent: beforeRestart, failed: 0, pending: 12 - beforeRestart, skipped: 0 } })]);
    expect(await auditOf(stopped.url, admin2.token, 'notice_campaign.completed')).toHaveLength(1);
  });
});
