import { MonitoringPolicy, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's monitoring policy form: GET/PUT /api/admin/monitoring-policy. */

const UNREADABLE = 'The server sent a monitoring policy this app cannot read; update the app.';

export async function fetchMonitoringPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<MonitoringPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.monitoringPolicy, { token, check: MonitoringPolicy, unreadable: UNREADABLE });
}

/** Saves the whole policy; the server audits it with before and after and applies it to monitoring in progress. */
export async function saveMonitoringPolicy(serverUrl: string, token: string, policy: MonitoringPolicy, fetchImpl: typeof fetch = fetch): Promise<MonitoringPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveMonitoringPolicy, { token, body: policy, check: MonitoringPolicy, unreadable: UNREADABLE });
}
