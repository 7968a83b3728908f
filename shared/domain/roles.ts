import { z } from 'zod';

/**
 * Who a user is in the org; every HTTP route and WebSocket message is checked against it.
 * `privacy`: a privacy officer, who may only search subjects and run privacy requests (issue 14);
 * no desk features (interactions, history, recordings, sync, board).
 */
export const Role = z.enum(['agent', 'supervisor', 'admin', 'privacy']);
export type Role = z.infer<typeof Role>;

/** An agent's availability as the agent chose it (or offline when no connection is left). */
export const Presence = z.enum(['available', 'busy', 'away', 'offline']);
export type Presence = z.infer<typeof Presence>;

/** Presence values a user may pick; `offline` is set by the server when the last connection is gone. */
export const SelectablePresence = Presence.exclude(['offline']);
export type SelectablePresence = z.infer<typeof SelectablePresence>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

/** Extra rights a user holds beyond their role; `sensitive` opens interactions marked sensitive to a supervisor. */
export const StaffPermission = z.enum(['sensitive']);
export type StaffPermission = z.infer<typeof StaffPermission>;
