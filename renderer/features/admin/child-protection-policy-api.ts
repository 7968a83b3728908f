import { ChildProtectionPolicy, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's child-protection policy form: GET/PUT /api/admin/child-protection-policy. */

const UNREADABLE = 'The server sent a child-protection policy this app cannot read; update the app.';

export async function fetchChildProtectionPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<ChildProtectionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.childProtectionPolicy, { token, check: ChildProtectionPolicy, unreadable: UNREADABLE });
}

/** Saves the whole policy; the server audits it with before and after, and the widget asks (or stops asking) from its next start form. */
export async function saveChildProtectionPolicy(serverUrl: string, token: string, policy: ChildProtectionPolicy, fetchImpl: typeof fetch = fetch): Promise<ChildProtectionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveChildProtectionPolicy, { token, body: policy, check: ChildProtectionPolicy, unreadable: UNREADABLE });
}
