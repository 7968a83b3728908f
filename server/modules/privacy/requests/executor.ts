import type { PrivacyRequestType, Replacement, StoreResult, SubjectIdentifiers } from '../../../../shared/api/privacy';

/** What an executor gets: the request, the interactions the search found, and a way to report progress. */
export interface ExecutorContext {
  requestId: string;
  /** Every interaction the search found (none live for erase and rectify: the runner refused those). */
  interactionIds: readonly string[];
  /** The identifiers as typed (the runner drops them when the request ends). */
  subject: SubjectIdentifiers;
  /** A rectification's replacements; empty for the other types. */
  replacements: readonly Replacement[];
  now: Date;
  /** Reports how far it is (shown in the request record while it works). */
  progress(done: number, total: number): Promise<void>;
}

/**
 * Carries out one type of request and returns, per store it reached, what it found and did (zero
 * counts included: they go into the receipt). Throwing fails the request with the error's message,
 * so it should say what to do next.
 */
export type RequestExecutor = (ctx: ExecutorContext) => Promise<StoreResult[]>;

/**
 * What an executor throws when it stops part-way: the cause, and what it had done by then, so the
 * failed request still shows it (nothing half-done is hidden).
 */
export class PartialFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly partial: StoreResult[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'PartialFailure';
  }
}

/** The executors the server has; a type without one is refused with 501 until it is built. */
export type RequestExecutors = Partial<Record<PrivacyRequestType, RequestExecutor>>;
