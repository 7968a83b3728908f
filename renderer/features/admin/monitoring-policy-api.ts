import { MonitoringPolicy } from '../../../shared';
import { failure } from '../../net/http-failure';

/** HTTP for the admin's monitoring policy form: GET/PUT /api/admin/monitoring-policy. */

function parsed(body: unknown): MonitoringPolicy {
  const result = MonitoringPolicy.safeParse(body);
  if (!result.success) throw new Error('The server sent a monitoring policy this app cannot read; update the app.');
  return result.data;
}

export async function fetchMonitoringPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<MonitoringPolicy> {
  const res = await fetchImpl(`${serverUrl}/api/admin/monitoring-policy`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw await failure(res);
  return parsed(await res.json());
}

/** Saves the whole policy; the server audits it with before and after and applies it to monitoring in progress. */
export async function saveMonitoringPolicy(serverUrl: string, token: string, policy: MonitoringPolicy, fetchImpl: typeof fetch = fetch): Promise<MonitoringPolicy> {
  const res = await fetchImpl(`${serverUrl}/api/admin/monitoring-policy`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(policy),
  });
  if (!res.ok) throw await failure(res);
  return parsed(await res.json());
}
