import { RecordingPolicy, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for the admin's recording policy screen: GET/PUT /api/admin/recording-policy. */

const UNREADABLE = 'The server sent a recording policy this app cannot read; update the app.';

export async function fetchRecordingPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<RecordingPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.recordingPolicy, { token, check: RecordingPolicy, unreadable: UNREADABLE });
}

/** Saves the whole policy (the server audits the change with before and after). */
export async function saveRecordingPolicy(serverUrl: string, token: string, policy: RecordingPolicy, fetchImpl: typeof fetch = fetch): Promise<RecordingPolicy> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.saveRecordingPolicy, { token, body: policy, check: RecordingPolicy, unreadable: UNREADABLE });
}

/** The reminder field as typed: a whole number of seconds within the policy's bounds, or why not. */
export function reminderSecondsError(text: string): string | null {
  const shape = RecordingPolicy.shape.reminderAfterSeconds;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) return 'Enter a whole number of seconds.';
  const result = shape.safeParse(value);
  return result.success ? null : 'Enter between 5 and 3600 seconds.';
}
