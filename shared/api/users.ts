import { z } from 'zod';
import { Role } from '../domain/roles';

/** A staff account as admins see it (GET /api/admin/users). */
export const AdminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUsersResponse = z.object({ users: z.array(AdminUser) });
export type AdminUsersResponse = z.infer<typeof AdminUsersResponse>;

/**
 * PUT /api/admin/users/:id: a new role, disabled or enabled again. Either ends the user's sessions
 * and closes their open connections at once (close 4410): they sign in again (a disabled user cannot).
 */
export const UpdateUserRequest = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.disabled !== undefined, { message: 'send role, disabled or both' });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

/** POST /api/admin/users/:id/revoke-sessions: how many live sessions were ended. */
export const RevokeSessionsResponse = z.object({ revoked: z.number().int().min(0) });
export type RevokeSessionsResponse = z.infer<typeof RevokeSessionsResponse>;
