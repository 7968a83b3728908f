import { AnonymousNoiseSettings, ReportSettings, routes } from '../../../shared';
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

const NOISE_UNREADABLE = 'The server sent noise settings this app cannot read; update the app.';

/** The anonymous statistics' optional noise: GET /api/admin/report-noise. */
export async function fetchReportNoise(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<AnonymousNoiseSettings> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.reportNoise, { token, check: AnonymousNoiseSettings, unreadable: NOISE_UNREADABLE });
}

/** Turns the noise on or off and sets ε; the server checks ε and audits the change. */
export async function saveReportNoise(serverUrl: string, token: string, noise: AnonymousNoiseSettings, fetchImpl: typeof fetch = fetch): Promise<AnonymousNoiseSettings> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveReportNoise, { token, body: noise, check: AnonymousNoiseSettings, unreadable: NOISE_UNREADABLE });
}
