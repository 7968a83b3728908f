import type { Replacement, SubjectIdentifiers } from '../../../shared/api/privacy';

/**
 * What a privacy request's runner hands each executor (export, rectify, erase): the request, the
 * interactions its search found, what the officer typed, the clock and a progress callback. An
 * executor answers with per-store counts (shared/api/privacy.ts StoreResult) for the record and
 * its receipt.
 */
export interface ExecutorContext {
  requestId: string;
  interactionIds: readonly string[];
  subject: SubjectIdentifiers;
  /** A rectification's replacements; the other executors ignore them. */
  replacements?: Replacement[];
  now(): Date;
  /** Called as work is done (interactions handled so far, of how many). */
  progress(done: number, total: number): void;
}
