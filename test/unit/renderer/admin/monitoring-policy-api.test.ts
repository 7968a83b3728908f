import { describe, expect, it } from 'vitest';
import { fetchMonitoringPolicy, saveMonitoringPolicy } from '../../../../renderer/features/admin/monitoring-policy-api';

const policy = { showNoticeToAgent: false, securePauseStopsMonitoring: true, rolesAllowed: ['supervisor' as const], whisperRoles: ['supervisor' as const], bargeRoles: [] };

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('monitoring policy API (admin screen)', () => {
  it('reads the policy with the session and saves the whole policy with PUT', async () => {
    const get = fakeFetch(200, policy);
    expect(await fetchMonitoringPolicy('http://s', 'tok', get.impl)).toEqual(policy);
    expect(get.calls[0]!.url).toBe('http://s/api/admin/monitoring-policy');
    expect((get.calls[0]!.init!.headers as Record<string, string>).authorization).toBe('Bearer tok');

    const put = fakeFetch(200, policy);
    expect(await saveMonitoringPolicy('http://s', 'tok', policy, put.impl)).toEqual(policy);
    expect(put.calls[0]!.init!.method).toBe('PUT');
    expect(JSON.parse(String(put.calls[0]!.init!.body))).toEqual(policy);
  });

  it("says what the server said when it refuses, the status when it sent no message, and refuses a policy it cannot read", async () => {
    const refused = fakeFetch(400, { error: { code: 'bad_request', message: 'monitoring policy: rolesAllowed: Invalid option' } });
    await expect(saveMonitoringPolicy('http://s', 'tok', policy, refused.impl)).rejects.toThrow('rolesAllowed');
    await expect(fetchMonitoringPolicy('http://s', 'tok', fakeFetch(502, 'Bad Gateway').impl)).rejects.toThrow('The server answered 502.');
    await expect(fetchMonitoringPolicy('http://s', 'tok', fakeFetch(200, { ...policy, rolesAllowed: ['agent'] }).impl)).rejects.toThrow(/update the app/);
  });
});
