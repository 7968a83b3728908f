import { type SensitiveKeywordRules as Rules, SensitiveKeywordRules, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's sensitive keyword rules: GET/PUT /api/admin/sensitive-keywords. */

const UNREADABLE = 'The server sent keyword rules this app cannot read; update the app.';

export async function fetchSensitiveKeywords(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<Rules> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.sensitiveKeywords, { token, check: SensitiveKeywordRules, unreadable: UNREADABLE });
}

/** Saves the whole set; the server checks it, audits the change and uses it from the next message. */
export async function saveSensitiveKeywords(serverUrl: string, token: string, rules: Rules, fetchImpl: typeof fetch = fetch): Promise<Rules> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveSensitiveKeywords, { token, body: rules, check: SensitiveKeywordRules, unreadable: UNREADABLE });
}
