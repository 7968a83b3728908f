export { createRedactor, type RedactionKind, type RedactionResult, type Redactor } from './redact';
export { DEFAULT_REDACTION_POLICY, REDACTION_ENTITIES, type OrgPattern, type RedactionEntity, type RedactionPolicy } from './policy';
export { compileOrgPattern } from './org-patterns';
export { isCardNumber, luhnValid } from './cards';
export { ibanChecksumValid, IBAN_LENGTHS } from './iban';
export { redactionNotice } from './notice';
