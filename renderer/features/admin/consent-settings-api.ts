import { ConsentSettings, routes } from '../../../shared';
import { ApiError } from '../../net/api-client';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's privacy notice and consent purposes: GET/PUT /api/admin/consent-settings. */

const UNREADABLE = 'The server sent consent settings this app cannot read; update the app.';

/** What the form starts from when the org has set nothing yet (the server answers 404). */
export const BLANK_CONSENT_SETTINGS: ConsentSettings = { noticeVersion: '', noticeUrl: 'https://', purposes: [] };

export async function fetchConsentSettings(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<ConsentSettings> {
  try {
    return await screenHttpClient(serverUrl, fetchImpl).call(routes.consentSettings, { token, check: ConsentSettings, unreadable: UNREADABLE });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return BLANK_CONSENT_SETTINGS;
    throw err;
  }
}

/** Saves the notice and every purpose; the server audits the change. */
export async function saveConsentSettings(serverUrl: string, token: string, settings: ConsentSettings, fetchImpl: typeof fetch = fetch): Promise<ConsentSettings> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveConsentSettings, { token, body: settings, check: ConsentSettings, unreadable: UNREADABLE });
}
