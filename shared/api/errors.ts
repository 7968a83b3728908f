import { z } from 'zod';

/** Every HTTP error body and every WebSocket error frame carries a stable code and a readable message. */
export const ErrorCode = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'payload_too_large',
  'protocol_mismatch',
  'unknown_message',
  'conflict',
  /** The server knows the operation but this build cannot do it yet (HTTP 501). */
  'not_implemented',
  /** Staff who have not accepted the current material privacy notice (HTTP 403; WebSocket close 4403). */
  'policy_not_accepted',
  /** An admin set the password: change it (POST /api/auth/password) before anything else (HTTP 403; WebSocket close 4411). */
  'password_change_required',
  /** The server is too busy for this now; try again after the time given (HTTP 503 with Retry-After). */
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** For schema errors: which fields were wrong and why. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Turns zod issues into short, path-qualified lines a person can act on. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): {
  path: string;
  message: string;
}[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => String(p)).join('.') || '(root)',
    message: issue.message,
  }));
}
