import { ChangePasswordResponse, type ChangePasswordRequest, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** POST /api/auth/password: the signed-in user's own password (also the change an admin-set one forces). */
export async function changeOwnPassword(serverUrl: string, token: string, body: ChangePasswordRequest, fetchImpl: typeof fetch = fetch): Promise<ChangePasswordResponse> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.changePassword, { token, body, check: ChangePasswordResponse, unreadable: 'The server sent an answer this app cannot read; update the app.' });
}
