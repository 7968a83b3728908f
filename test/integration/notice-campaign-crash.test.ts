import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { NoticeCampaign } from '../../shared/api/notice-campaigns';
import { perAddress, startSmtp, type TestSmtp } from '../support/smtp';
import { startTestServer, type TestServer } from '../support/server';
import { api, login, waitFor, withTimeout } from './helpers';

// A real backend process killed with SIGKILL mid-campaign (no shutdown code runs), then started
// again on the same data dir: the rest is sent, at least once each; only the message the dead
// server may have had in flight can arrive twice (docs/privacy-model.md, "Notices by e-mail").
describe('a notice campaign whose server was killed', { timeout: 120_000 }, () => {
  it('resumes at the next start; every address gets it, at most the one in flight twice; no address in the logs', async ({ expect, onTestFinished }) => {
    const servers: TestServer[] = [];
    const smtp: TestSmtp = await startSmtp();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-notices-kill-'));
    onTestFinished(async () => {
      for (const s of servers) await s.stop();
      await smtp.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    const c = smtp.config;
    const env = {
      LOG_LEVEL: 'info',
      VEILDESK_MEDIA_WORKERS: '0',
      VEILDESK_SMTP_HOST: c.host,
      VEILDESK_SMTP_PORT: String(c.port),
      VEILDESK_SMTP_USER: c.user!,
      VEILDESK_SMTP_PASSWORD: c.password!,
      VEILDESK_SMTP_FROM: c.from,
      VEILDESK_SMTP_RATE: '5',
    };
    const first = await startTestServer({ dataDir, env });
    servers.push(first);
    const addresses = Array.from({ length: 8 }, (_, i) => `kept${i + 1}@example.test`);
    for (const email of addresses) {
      const res = await api(first.url, '/api/widget/interactions', { json: { kind: 'chat', queueId: 'general', customer: { name: 'Customer', email } } });
      expect(res.status).toBe(201);
    }
    const admin = await login(first.url, 'admin');
    const started = await api<NoticeCampaign>(first.url, '/api/admin/notice-campaigns', { token: admin.token, json: { text: 'Our privacy notice changed.' } });
    expect(started.status).toBe(202);
    await waitFor(() => smtp.received.length >= 3, 20_000, '3 notices sent');
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.process.once('exit', (_code, signal) => resolve(signal)));
    first.process.kill('SIGKILL');
    expect(await withTimeout(exited, 10_000, 'exit after SIGKILL')).toBe('SIGKILL');

    const second = await startTestServer({ dataDir, env });
    servers.push(second);
    const admin2 = await login(second.url, 'admin');
    const read = async (): Promise<NoticeCampaign> => (await api<NoticeCampaign>(second.url, `/api/admin/notice-campaigns/${started.body.id}`, { token: admin2.token })).body;
    await expect.poll(async () => (await read()).status, { timeout: 30_000 }).toBe('completed');
    expect((await read()).counts).toEqual({ total: 8, sent: 8, failed: 0, pending: 0, skipped: 0 });
    const counts = perAddress(smtp.received);
    expect([...counts.keys()].sort()).toEqual([...addresses].sort());
    const twice = [...counts.values()].filter((n) => n > 1);
    expect(twice.length).toBeLessThanOrEqual(1);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
    for (const s of servers) expect(s.output()).not.toContain('example.test');
  });
});
