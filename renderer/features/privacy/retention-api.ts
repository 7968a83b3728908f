import { RetentionPolicy, RetentionPreview } from '../../../shared/api/retention';
import { routes } from '../../../shared/api/routes';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the retention form: GET/PUT /api/admin/retention-policy and its preview (admins). */

const UNREADABLE = 'The server sent a retention policy this app cannot read; update the app.';

export async function fetchRetentionPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<RetentionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.retentionPolicy, { token, check: RetentionPolicy, unreadable: UNREADABLE });
}

/** Saves the whole policy; the server audits the change and its job purges by it from then on. */
export async function saveRetentionPolicy(serverUrl: string, token: string, policy: RetentionPolicy, fetchImpl: typeof fetch = fetch): Promise<RetentionPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveRetentionPolicy, { token, body: policy, check: RetentionPolicy, unreadable: UNREADABLE });
}

/** What the policy would purge now, per class and store; nothing is deleted. */
export async function previewRetention(serverUrl: string, token: string, policy: RetentionPolicy, fetchImpl: typeof fetch = fetch): Promise<RetentionPreview> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.previewRetention, { token, body: policy, check: RetentionPreview, unreadable: UNREADABLE });
}
