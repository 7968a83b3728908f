import { z } from 'zod';
import { Role } from '../domain/roles';
import { Password, Username } from '../domain/usernames';

/** A staff account as admins see it (GET /api/admin/users). */
export const AdminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  /** The queues the user is a member of (ids). */
  queueIds: z.array(z.string()).optional(),
  /** An admin set the password: the user must change it at their next sign-in. */
  mustChangePassword: z.boolean().optional(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUsersResponse = z.object({ users: z.array(AdminUser) });
export type AdminUsersResponse = z.infer<typeof AdminUsersResponse>;

/** A new password: 8 to 1024 characters (the CLI's rule). */
export const NewPassword = Password.min(8, 'use at least 8 characters');

const DisplayName = z.string().trim().min(1, 'display name is required').max(100, 'display name is at most 100 characters');
const QueueIds = z.array(z.string().min(1).max(64)).max(100);

/**
 * POST /api/admin/users: a new staff account. The admin picks the first password; the user must
 * change it at their first sign-in. 409 when the username is taken, 400 for an unknown queue.
 */
export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: DisplayName,
  role: Role,
  queueIds: QueueIds.default([]),
  password: NewPassword,
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

/**
 * PUT /api/admin/users/:id: a new role, disabled or enabled again, a display name, the queues the
 * user belongs to. A new role or disabling ends the user's sessions and closes their open
 * connections at once (close 4410): they sign in again (a disabled user cannot).
 */
export const UpdateUserRequest = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional(), displayName: DisplayName.optional(), queueIds: QueueIds.optional() })
  .refine((body) => body.role !== undefined || body.disabled !== undefined || body.displayName !== undefined || body.queueIds !== undefined, {
    message: 'send role, disabled, displayName or queueIds',
  });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** POST /api/admin/users/:id/revoke-sessions: how many live sessions were ended. */
export const RevokeSessionsResponse = z.object({ revoked: z.number().int().min(0) });
export type RevokeSessionsResponse = z.infer<typeof RevokeSessionsResponse>;

/**
 * POST /api/admin/users/:id/reset-password: the admin sets a temporary password; the user's
 * sessions end (close 4410) and they must change it at their next sign-in.
 */
export const ResetPasswordRequest = z.strictObject({ password: NewPassword });
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

/**
 * POST /api/auth/password: the signed-in user changes their own password (the current one first).
 * Wrong current passwords count against the sign-in rate limit. The user's other sessions end.
 */
export const ChangePasswordRequest = z.strictObject({ currentPassword: Password, newPassword: NewPassword });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const ChangePasswordResponse = z.object({ ok: z.literal(true), otherSessionsEnded: z.number().int().min(0) });
export type ChangePasswordResponse = z.infer<typeof ChangePasswordResponse>;
