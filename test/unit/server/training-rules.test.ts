import { describe, expect, it } from 'vitest';
import { trainingRefusal, type TrainingFacts } from '../../../server/modules/consent/training-rules';

const ok: TrainingFacts = { ended: true, childProtected: false, sensitive: false, trainingConsent: true, sensitiveConsent: false };

describe('training library rules', () => {
  it('an ended interaction with the training consent is allowed', () => {
    expect(trainingRefusal(ok)).toBeNull();
    expect(trainingRefusal({ ...ok, sensitive: true, sensitiveConsent: true })).toBeNull();
  });

  it('each refusal says why', () => {
    expect(trainingRefusal({ ...ok, trainingConsent: false })).toMatchObject({ code: 'forbidden', reason: 'no_consent' });
    expect(trainingRefusal({ ...ok, sensitive: true })).toMatchObject({ code: 'forbidden', reason: 'sensitive_without_opt_in' });
    expect(trainingRefusal({ ...ok, ended: false })).toMatchObject({ code: 'conflict', reason: 'not_ended' });
  });

  it('a child is refused whatever was ticked; the sensitive opt-in alone is not the training consent', () => {
    expect(trainingRefusal({ ...ok, childProtected: true, sensitiveConsent: true })).toMatchObject({ reason: 'child_protected' });
    expect(trainingRefusal({ ...ok, trainingConsent: false, sensitive: true, sensitiveConsent: true })).toMatchObject({ reason: 'no_consent' });
  });
});
