import { ReportSettings, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's statistics settings: GET/PUT /api/admin/report-settings. */

const UNREADABLE = 'The server sent statistics settings this app cannot read; update the app.';

export async function fetchReportSettings(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<ReportSettings> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.reportSettings, { token, check: ReportSettings, unreadable: UNREADABLE });
}

/** Saves k; the server refuses under 5 and audits the change with before and after. */
export async function saveReportSettings(serverUrl: string, token: string, settings: ReportSettings, fetchImpl: typeof fetch = fetch): Promise<ReportSettings> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveReportSettings, { token, body: settings, check: ReportSettings, unreadable: UNREADABLE });
}
