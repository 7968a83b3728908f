import { describe, expect, it } from 'vitest';
import type { NoticeCampaign } from '../../../../shared';
import { progressText } from '../../../../renderer/features/admin/NoticeCampaignScreen';
import { startNoticeCampaign } from '../../../../renderer/features/admin/notice-campaigns-api';

const campaign = (over: Partial<NoticeCampaign> = {}): NoticeCampaign => ({
  id: 'c1',
  subject: 'An update to our privacy notice',
  text: 'We changed it.',
  status: 'running',
  createdAt: '2026-12-04T10:00:00.000Z',
  createdBy: 'admin',
  completedAt: null,
  counts: { total: 40, sent: 12, failed: 1, pending: 26, skipped: 1 },
  failures: [{ reason: 'smtp_550', count: 1 }],
  ...over,
});

describe('notice campaign screen', () => {
  it('states the progress in counts and failure reasons', () => {
    expect(progressText(campaign())).toBe('Sending: 12 of 40 sent, 1 failed (smtp_550: 1), 1 skipped (erased before their turn), 26 waiting.');
    expect(progressText(campaign({ status: 'completed', counts: { total: 3, sent: 3, failed: 0, pending: 0, skipped: 0 }, failures: [] }))).toBe('Done: 3 of 3 sent.');
  });

  it("shows the server's reason when the start is refused (no SMTP server configured)", async () => {
    const impl = (async () =>
      new Response(JSON.stringify({ error: { code: 'conflict', message: 'No SMTP server is configured, so no notice can be sent. Set VEILDESK_SMTP_HOST…' } }), {
        status: 409,
        headers: { 'content-type': 'application/json' },
      })) as unknown as typeof fetch;
    await expect(startNoticeCampaign('http://localhost:4280', 'vd_t', { text: 'hi' }, impl)).rejects.toThrow(/Set VEILDESK_SMTP_HOST/);
  });

  it('posts the notice and reads the 202 answer', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const impl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(campaign()), { status: 202, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const started = await startNoticeCampaign('http://localhost:4280', 'vd_t', { text: 'We changed it.' }, impl);
    expect(started.id).toBe('c1');
    expect(calls[0]!.url).toBe('http://localhost:4280/api/admin/notice-campaigns');
    expect(JSON.parse(String(calls[0]!.init!.body))).toEqual({ text: 'We changed it.' });
  });
});
