import { ScreenRecordingPolicy, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's screen recording policy screen: GET/PUT /api/admin/screen-recording-policy. */

const UNREADABLE = 'The server sent a screen recording policy this app cannot read; update the app.';

export async function fetchScreenRecordingPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<ScreenRecordingPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.screenRecordingPolicy, { token, check: ScreenRecordingPolicy, unreadable: UNREADABLE });
}

/** Saves the whole policy (the server validates it and audits the change with before and after). */
export async function saveScreenRecordingPolicy(serverUrl: string, token: string, policy: ScreenRecordingPolicy, fetchImpl: typeof fetch = fetch): Promise<ScreenRecordingPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveScreenRecordingPolicy, { token, body: policy, check: ScreenRecordingPolicy, unreadable: UNREADABLE });
}
