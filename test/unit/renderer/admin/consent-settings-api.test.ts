import { describe, expect, it } from 'vitest';
import { BLANK_CONSENT_SETTINGS, fetchConsentSettings, saveConsentSettings } from '../../../../renderer/features/admin/consent-settings-api';

const settings = { noticeVersion: '2026-02', noticeUrl: 'https://org.example/privacy', purposes: [{ id: 'training', label: 'Use this conversation to train our team' }] };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('consent settings API (admin screen)', () => {
  it('reads the settings with the session and saves them whole with PUT', async () => {
    const get = fakeFetch(200, settings);
    expect(await fetchConsentSettings('http://s', 'tok', get.impl)).toEqual(settings);
    expect(get.calls[0]!.url).toBe('http://s/api/admin/consent-settings');
    expect((get.calls[0]!.init!.headers as Record<string, string>).authorization).toBe('Bearer tok');

    const put = fakeFetch(200, settings);
    expect(await saveConsentSettings('http://s', 'tok', settings, put.impl)).toEqual(settings);
    expect(put.calls[0]!.init!.method).toBe('PUT');
    expect(JSON.parse(String(put.calls[0]!.init!.body))).toEqual(settings);
  });

  it('nothing set yet (404): the form starts blank; a refusal says what the server said', async () => {
    const none = fakeFetch(404, { error: { code: 'not_found', message: 'No privacy notice or consent purposes yet.' } });
    expect(await fetchConsentSettings('http://s', 'tok', none.impl)).toEqual(BLANK_CONSENT_SETTINGS);
    const refused = fakeFetch(400, { error: { code: 'bad_request', message: 'Invalid consent settings: noticeUrl: the privacy notice link must be an https:// address' } });
    await expect(saveConsentSettings('http://s', 'tok', settings, refused.impl)).rejects.toThrow('https://');
  });
});
