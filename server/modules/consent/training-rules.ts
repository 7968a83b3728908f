import type { DomainErrorCode } from '../../kernel/errors';

/** What decides whether an interaction may be in the training library, read when it is added and at every read. */
export interface TrainingFacts {
  /** Whether the interaction has ended (in wrap-up or closed). */
  ended: boolean;
  childProtected: boolean;
  sensitive: boolean;
  /** The customer's `training` consent, given and not withdrawn. */
  trainingConsent: boolean;
  /** The customer's `training-sensitive` opt-in, given and not withdrawn. */
  sensitiveConsent: boolean;
}

export interface TrainingRefusal {
  code: Extract<DomainErrorCode, 'forbidden' | 'conflict'>;
  /** Said to the supervisor: why, and what would change it. */
  message: string;
  /** For the audit log (no personal data). */
  reason: 'not_ended' | 'child_protected' | 'no_consent' | 'sensitive_without_opt_in';
}

/**
 * The training library's rules (issue 15; docs/privacy-model.md): only an ended interaction, never a
 * child's, only with the customer's training consent, and for one marked sensitive only with the
 * separate sensitive-data opt-in. Null when allowed.
 */
export function trainingRefusal(f: TrainingFacts): TrainingRefusal | null {
  if (f.childProtected) return { code: 'forbidden', reason: 'child_protected', message: 'This interaction is child-protected: nothing of it may be used for training.' };
  if (!f.trainingConsent) {
    return { code: 'forbidden', reason: 'no_consent', message: 'The customer did not consent to this conversation being used for training (or has withdrawn that consent).' };
  }
  if (f.sensitive && !f.sensitiveConsent) {
    return {
      code: 'forbidden',
      reason: 'sensitive_without_opt_in',
      message: 'This interaction is marked sensitive and the customer did not opt in to its sensitive details being used for training.',
    };
  }
  if (!f.ended) return { code: 'conflict', reason: 'not_ended', message: 'This interaction is still in progress; add it to the training library once it has ended.' };
  return null;
}
