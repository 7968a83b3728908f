import { DomainError } from '../../kernel/errors';

/** The refusal an agent gets for an interaction they did not handle. */
export const SENSITIVE_REFUSAL = 'This interaction is marked sensitive: only its agents, supervisors with the sensitive permission and admins may open it.';

/**
 * What an agent gets for an interaction (or its recording) they did not handle: 404 with the same
 * words as an unknown id, so ids reveal nothing about what exists. A sensitive one keeps its
 * explicit 403 (the sensitive-data rule, test/integration/sensitive*.test.ts).
 */
export function notTheirs(row: { id: string; sensitive_category: string | null }, what = 'interaction'): DomainError {
  if (row.sensitive_category !== null) return new DomainError('forbidden', SENSITIVE_REFUSAL);
  return new DomainError('not_found', `No ${what} ${row.id.slice(0, 64)}.`);
}
