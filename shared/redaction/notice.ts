import type { RedactionKind } from './redact';

const KIND_WORDS: Record<RedactionKind, string> = {
  card: 'a card number',
  securityCode: 'a security code',
  expiry: 'an expiry date',
  iban: 'a bank account number (IBAN)',
  ssn: 'a social security number',
  email: 'an e-mail address',
  phone: 'a phone number',
  org: 'an identifier your organisation does not keep',
};

/** The line a sender sees under a message the server redacted: what was removed and why. */
export function redactionNotice(kinds: readonly RedactionKind[]): string {
  const words = [...new Set(kinds)].map((k) => KIND_WORDS[k]);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : (words[0] ?? 'personal data');
  return `Removed before anyone saw it: ${list}. It is never stored or shown; give it by phone if it is needed.`;
}
