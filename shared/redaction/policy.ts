/**
 * What an organisation has redacted from every message, note and wrap-up before anything is stored,
 * logged or delivered. The built-in entities are recognised by their structure (checksums, lengths,
 * context words); org patterns add identifiers the org does not want kept (e.g. a national ID).
 */

export const REDACTION_ENTITIES = ['card', 'securityCode', 'expiry', 'iban', 'ssn', 'email', 'phone'] as const;
export type RedactionEntity = (typeof REDACTION_ENTITIES)[number];

/** A named regular expression run with a linear-time engine (RE2 syntax: no backreferences or lookaround). */
export interface OrgPattern {
  /** Shown in the replacement, e.g. "national ID" → `[national ID]`. */
  label: string;
  pattern: string;
  caseInsensitive?: boolean;
}

export interface RedactionPolicy {
  entities: Record<RedactionEntity, boolean>;
  orgPatterns: OrgPattern[];
}

/** Cards, codes, expiry, IBAN and SSN on; e-mail addresses and phone numbers inside messages off. */
export const DEFAULT_REDACTION_POLICY: RedactionPolicy = {
  entities: { card: true, securityCode: true, expiry: true, iban: true, ssn: true, email: false, phone: false },
  orgPatterns: [],
};

/** Labels are plain words so that a replacement can never be mistaken for text to redact. */
export const ORG_LABEL_RE = /^[A-Za-z][A-Za-z ]{0,38}[A-Za-z]$/;
export const MAX_ORG_PATTERNS = 20;
export const MAX_ORG_PATTERN_LENGTH = 300;
