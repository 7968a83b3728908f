import { createHash } from 'node:crypto';
import type { SubjectIdentifiers } from '../../../../shared/api/privacy';

/** What an officer typed, normalised the way the search compares it. */
export interface NormalisedSubject {
  /** Lower-case, trimmed. */
  email?: string;
  /** Digits only: "+44 (20) 7946-0958" and "442079460958" are the same person. */
  phoneDigits?: string;
  /** Trimmed, inner whitespace collapsed, lower-case. */
  name?: string;
  interactionIds: string[];
}

export function normaliseSubject(subject: SubjectIdentifiers): NormalisedSubject {
  const digits = subject.phone?.replace(/\D/g, '');
  return {
    ...(subject.email ? { email: subject.email.trim().toLowerCase() } : {}),
    ...(digits ? { phoneDigits: digits } : {}),
    ...(subject.name ? { name: subject.name.trim().replace(/\s+/g, ' ').toLowerCase() } : {}),
    interactionIds: [...new Set(subject.interactionIds ?? [])],
  };
}

/**
 * SHA-256 hex of `kind:normalisedValue` for each identifier, sorted: what a request keeps for good
 * once it ends, so later requests about the same person find it without the identifiers themselves.
 */
export function subjectDigests(subject: SubjectIdentifiers): string[] {
  const n = normaliseSubject(subject);
  const values = [
    ...(n.email ? [`email:${n.email}`] : []),
    ...(n.phoneDigits ? [`phone:${n.phoneDigits}`] : []),
    ...(n.name ? [`name:${n.name}`] : []),
    ...n.interactionIds.map((id) => `interactionId:${id}`),
  ];
  return values.map((v) => createHash('sha256').update(v).digest('hex')).sort();
}
