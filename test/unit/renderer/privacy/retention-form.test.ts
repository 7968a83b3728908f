import { describe, expect, it } from 'vitest';
import { previewRetention, saveRetentionPolicy } from '../../../../renderer/features/privacy/retention-api';
import { RETENTION_FIELDS, daysProblem, toPolicy, toTexts } from '../../../../renderer/features/privacy/retention-form';

const policy = { transcriptsDays: 30, sensitiveTranscriptsDays: null, recordingsDays: 90, contactsDays: null, interactionsDays: null, auditDays: 365 };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('retention form', () => {
  it('has the promised inputs and turns text into a policy: empty keeps, numbers are days', () => {
    expect(RETENTION_FIELDS.map((f) => f.testId)).toEqual(
      expect.arrayContaining(['retention-days-transcripts', 'retention-days-recordings', 'retention-days-contacts']),
    );
    const texts = toTexts(policy);
    expect(texts).toMatchObject({ transcriptsDays: '30', contactsDays: '', auditDays: '365' });
    expect(toPolicy(texts)).toEqual({ ok: true, policy });
    expect(toPolicy({ ...texts, contactsDays: ' 7 ' })).toEqual({ ok: true, policy: { ...policy, contactsDays: 7 } });
  });

  it('says what to type for a value the server would refuse, naming the field', () => {
    expect(daysProblem('transcriptsDays', '')).toBeNull();
    expect(daysProblem('transcriptsDays', '0')).toMatch(/between 1 and 36500 days/);
    expect(daysProblem('transcriptsDays', '2.5')).toMatch(/whole number of days/);
    expect(daysProblem('auditDays', '30')).toMatch(/between 365 and 36500/);
    expect(toPolicy({ ...toTexts(policy), recordingsDays: 'abc' })).toEqual({ ok: false, message: expect.stringMatching(/^Call recordings: Enter a whole number/) });
  });

  it('saves with PUT and previews with POST, the whole policy, with the session', async () => {
    const put = fakeFetch(200, policy);
    expect(await saveRetentionPolicy('http://s', 'tok', policy, put.impl)).toEqual(policy);
    expect(put.calls[0]!.url).toBe('http://s/api/admin/retention-policy');
    expect(put.calls[0]!.init!.method).toBe('PUT');
    expect(JSON.parse(String(put.calls[0]!.init!.body))).toEqual(policy);

    const preview = { at: '2026-12-04T22:00:00.000Z', classes: [{ retention: 'transcripts', stores: [{ store: 'chat_messages', count: 41 }] }] };
    const post = fakeFetch(200, preview);
    expect(await previewRetention('http://s', 'tok', policy, post.impl)).toEqual(preview);
    expect(post.calls[0]!.url).toBe('http://s/api/admin/retention-policy/preview');
    expect(post.calls[0]!.init!.method).toBe('POST');
    expect((post.calls[0]!.init!.headers as Record<string, string>).authorization).toBe('Bearer tok');

    const refused = fakeFetch(400, { error: { code: 'bad_request', message: 'auditDays: at least 365.' } });
    await expect(saveRetentionPolicy('http://s', 'tok', policy, refused.impl)).rejects.toThrow('auditDays: at least 365.');
  });
});
