import { describe, expect, it } from 'vitest';
import { fetchRecordingPolicy, reminderSecondsError, saveRecordingPolicy } from '../../../../renderer/features/admin/policy-api';

const policy = { recordCalls: false, agentsMayPlayOwn: true, reminderAfterSeconds: 30 };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('recording policy API (admin screen)', () => {
  it('reads the policy with the session and saves the whole policy with PUT', async () => {
    const get = fakeFetch(200, policy);
    expect(await fetchRecordingPolicy('http://s', 'tok', get.impl)).toEqual(policy);
    expect(get.calls[0]!.url).toBe('http://s/api/admin/recording-policy');
    expect((get.calls[0]!.init!.headers as Record<string, string>).authorization).toBe('Bearer tok');

    const put = fakeFetch(200, policy);
    expect(await saveRecordingPolicy('http://s', 'tok', policy, put.impl)).toEqual(policy);
    expect(put.calls[0]!.init!.method).toBe('PUT');
    expect(JSON.parse(String(put.calls[0]!.init!.body))).toEqual(policy);
  });

  it('says what the server said when it refuses, and refuses a policy it cannot read', async () => {
    const refused = fakeFetch(403, { error: { code: 'forbidden', message: 'Only admins may change the recording policy.' } });
    await expect(saveRecordingPolicy('http://s', 'tok', policy, refused.impl)).rejects.toThrow('Only admins may change the recording policy.');
    const odd = fakeFetch(200, { recordCalls: 'yes' });
    await expect(fetchRecordingPolicy('http://s', 'tok', odd.impl)).rejects.toThrow(/update the app/);
  });

  it('checks the reminder as typed: whole seconds from 5 to 3600', () => {
    expect(reminderSecondsError('60')).toBeNull();
    expect(reminderSecondsError('5')).toBeNull();
    expect(reminderSecondsError('3600')).toBeNull();
    expect(reminderSecondsError('4')).toMatch(/between 5 and 3600/);
    expect(reminderSecondsError('3601')).toMatch(/between 5 and 3600/);
    expect(reminderSecondsError('')).toMatch(/whole number/);
    expect(reminderSecondsError('1.5')).toMatch(/whole number/);
    expect(reminderSecondsError('abc')).toMatch(/whole number/);
  });
});
