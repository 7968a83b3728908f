import { type RedactionPolicy, RedactionPolicyInput, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's redaction policy form: GET/PUT /api/admin/redaction-policy. */

const UNREADABLE = 'The server sent a redaction policy this app cannot read; update the app.';

export async function fetchRedactionPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<RedactionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.redactionPolicy, { token, check: RedactionPolicyInput, unreadable: UNREADABLE });
}

/** Saves the whole policy; the server checks every pattern, audits the change and applies it to the next message. */
export async function saveRedactionPolicy(serverUrl: string, token: string, policy: RedactionPolicy, fetchImpl: typeof fetch = fetch): Promise<RedactionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveRedactionPolicy, { token, body: policy, check: RedactionPolicyInput, unreadable: UNREADABLE });
}
