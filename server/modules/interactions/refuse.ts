import { DomainError } from '../../kernel/errors';

/** The refusals every interactions feature gives: each names the client's error code. */
export const refuse = {
  notFound: (id: string) => new DomainError('not_found', `No interaction ${id}.`),
  forbidden: (message: string) => new DomainError('forbidden', message),
  conflict: (message: string) => new DomainError('conflict', message),
};
