import { AdminUser, AdminUsersResponse, type CreateUserRequest, type UpdateUserRequest, routes } from '../../../shared';
import { screenHttpClient } from '../../net/http-failure';

/** HTTP for Admin → Users: list, create, change (role, disabled, name, queues), reset a password. */

const UNREADABLE = 'The server sent user accounts this app cannot read; update the app.';

export async function fetchUsers(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<AdminUser[]> {
  return (await screenHttpClient(serverUrl, fetchImpl).call(routes.adminUsers, { token, check: AdminUsersResponse, unreadable: UNREADABLE })).users;
}

export async function createUser(serverUrl: string, token: string, body: CreateUserRequest, fetchImpl: typeof fetch = fetch): Promise<AdminUser> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.createUser, { token, body, check: AdminUser, unreadable: UNREADABLE });
}

export async function updateUser(serverUrl: string, token: string, id: string, body: UpdateUserRequest, fetchImpl: typeof fetch = fetch): Promise<AdminUser> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.updateUser, { token, params: { id }, body, check: AdminUser, unreadable: UNREADABLE });
}

export async function resetUserPassword(serverUrl: string, token: string, id: string, password: string, fetchImpl: typeof fetch = fetch): Promise<AdminUser> {
  return screenHttpClient(serverUrl, fetchImpl).call(routes.resetUserPassword, { token, params: { id }, body: { password }, check: AdminUser, unreadable: UNREADABLE });
}
