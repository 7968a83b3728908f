import type { z } from 'zod';
import { describeIssues } from '../../shared/api/errors';
import { NUL_MESSAGE, nulPath } from './nul-text';

/**
 * What went wrong, in words of the domain rather than of a transport. The HTTP error handler
 * (server/http/errors.ts) turns the code into a status, the WebSocket gateway into an error frame.
 */
export type DomainErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  /** Known but not available in this build (HTTP 501). */
  | 'not_implemented'
  /** Staff who have not accepted the current material privacy notice (HTTP 403). */
  | 'policy_not_accepted'
  /** An admin set the user's password: they must change it before anything else (HTTP 403). */
  | 'password_change_required'
  /** Stored data failed its integrity check (HTTP 500, wire code internal): never served, said as such. */
  | 'damaged'
  /** The server is too busy for this now (HTTP 503 with Retry-After). */
  | 'unavailable'
  /** A body in a content type the operation does not take (HTTP 415; the wire code is bad_request). */
  | 'unsupported_media_type';

export interface DomainErrorDetails {
  /** For schema errors: which fields were wrong and why. */
  issues?: { path: string; message: string }[];
  /** For rate limits: when to try again. */
  retryAfterSeconds?: number;
}

/** A refusal meant for the client: a stable code and a message that says what to do next. */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * Parses untrusted input with a shared schema; a mismatch is a bad_request naming each bad field.
 * Text holding NUL is refused too (nul-text.ts): PostgreSQL cannot store it.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = describeIssues(result.error.issues);
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new DomainError('bad_request', `Invalid ${what}: ${summary}`, { issues });
  }
  const nul = nulPath(result.data);
  if (nul !== null) throw new DomainError('bad_request', `Invalid ${what}: ${nul}: ${NUL_MESSAGE}`, { issues: [{ path: nul, message: NUL_MESSAGE }] });
  return result.data;
}
