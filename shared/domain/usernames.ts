import { z } from 'zod';

/** Usernames are short, lower-case and printable so they read well in audit logs and rosters. */
export const Username = z
  .string()
  .min(1, 'username is required')
  .max(64, 'username is at most 64 characters')
  .regex(/^[a-z0-9._-]+$/, 'username may contain a-z, 0-9, dot, dash and underscore');

export const Password = z.string().min(1, 'password is required').max(1024, 'password is at most 1024 characters');
