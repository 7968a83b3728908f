import { RecordingPolicy } from '../../../shared';
import { failure } from '../../net/http-failure';

/** HTTP for the admin's recording policy screen: GET/PUT /api/admin/recording-policy. */

function parsed(body: unknown): RecordingPolicy {
  const result = RecordingPolicy.safeParse(body);
  if (!result.success) throw new Error('The server sent a recording policy this app cannot read; update the app.');
  return result.data;
}

export async function fetchRecordingPolicy(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<RecordingPolicy> {
  const res = await fetchImpl(`${serverUrl}/api/admin/recording-policy`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw await failure(res);
  return parsed(await res.json());
}

/** Saves the whole policy (the server audits the change with before and after). */
export async function saveRecordingPolicy(serverUrl: string, token: string, policy: RecordingPolicy, fetchImpl: typeof fetch = fetch): Promise<RecordingPolicy> {
  const res = await fetchImpl(`${serverUrl}/api/admin/recording-policy`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(policy),
  });
  if (!res.ok) throw await failure(res);
  return parsed(await res.json());
}

/** The reminder field as typed: a whole number of seconds within the policy's bounds, or why not. */
export function reminderSecondsError(text: string): string | null {
  const shape = RecordingPolicy.shape.reminderAfterSeconds;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value)) return 'Enter a whole number of seconds.';
  const result = shape.safeParse(value);
  return result.success ? null : 'Enter between 5 and 3600 seconds.';
}
