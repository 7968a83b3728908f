import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTION_POLICY, compileOrgPattern, createRedactor, isCardNumber, type RedactionPolicy } from '../../../../shared/redaction';
import { IBANS, generatedCards, lookAlikes, writtenForms } from './corpus';

const redactor = createRedactor(DEFAULT_REDACTION_POLICY);
const redact = (t: string): string => redactor.redact(t).text;

/** Maximal runs of digits in a text: what a reader could copy out as one number. */
const digitRuns = (t: string): string[] => t.match(/\d+/g) ?? [];

describe('cards', () => {
  const cards = generatedCards(8);

  it(`redacts every Luhn-valid number of the major brands in eight written forms (${cards.length} numbers)`, () => {
    let checked = 0;
    for (const { brand, number, groups } of cards) {
      for (const form of writtenForms(number, groups)) {
        const out = redact(form);
        expect(out, `${brand}: ${form}`).toContain(`[card •••• ${number.slice(-4)}]`);
        expect(out.replace(/\D/g, ''), `${brand}: ${form}`).not.toContain(number.slice(0, 6));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(cards.length * 6);
  });

  it('keeps what follows a card: its code goes by the context rules', () => {
    expect(redact('4242 4242 4242 4242 123')).toBe('[card •••• 4242] 123');
    expect(redact('4242 4242 4242 4242 cvv 123')).toBe('[card •••• 4242] cvv [security code]');
  });

  it('changes at most 1 % of look-alikes (order, phone and tracking numbers, dates, times, amounts, Luhn-invalid numbers)', () => {
    const samples = lookAlikes();
    const changed = samples.filter((s) => redact(s) !== s);
    expect(samples.length).toBeGreaterThan(1000);
    expect(changed.length / samples.length, changed.slice(0, 5).join(' | ')).toBeLessThanOrEqual(0.01);
  });
});

describe('security codes and expiry dates only in context', () => {
  it.each([
    ['cvv 123', 'cvv [security code]'],
    ['CVC: 4321', 'CVC: [security code]'],
    ['the 3 digits on the back are 987', 'the 3 digits on the back are [security code]'],
    ['security code is 555', 'security code is [security code]'],
    ['321 is the cvv', '[security code] is the cvv'],
    ['exp 12/25', 'exp [expiry]'],
    ['expires 03 / 2027', 'expires [expiry]'],
    ['valid thru 1-29', 'valid thru [expiry]'],
    ['4111 1111 1111 1111 09/28', '[card •••• 1111] [expiry]'],
  ])('%s → %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each(['room 123 please', 'we open at 12/25 at noon', 'I paid 1234 last year', 'see you 10/30', 'code 123 is the door code'])(
    'leaves %s',
    (input) => expect(redact(input)).toBe(input),
  );

  it('needs the keyword near the value', () => {
    expect(redact(`cvv ${'x'.repeat(60)} 123`)).toContain('123');
  });

  // Keywords are matched on a lowercased copy; letters whose lowercase differs in length or turns
  // into ASCII must neither shift positions nor change what counts as a keyword.
  it('finds keywords in any case, next to letters that lowercase oddly', () => {
    expect(redact('İİİ SECURITY Code 555')).toBe('İİİ SECURITY Code [security code]');
    expect(redact('ExP 12/25 \u212a cvv 123')).toBe('ExP [expiry] \u212a cvv [security code]');
    expect(redact('code on the bac\u212a 123')).toBe('code on the bac\u212a 123');
  });
});

describe('IBAN', () => {
  it.each(Object.entries(IBANS))('%s: redacted grouped, ungrouped and lower case; a changed digit is not', (_country, iban) => {
    const last4 = iban.slice(-4);
    const groupedForm = iban.replace(/(.{4})/g, '$1 ').trim();
    expect(redact(`IBAN ${iban} thanks`)).toBe(`IBAN [IBAN •••• ${last4}] thanks`);
    expect(redact(`to ${groupedForm}.`)).toBe(`to [IBAN •••• ${last4}].`);
    expect(redact(iban.toLowerCase())).toBe(`[IBAN •••• ${last4}]`);
    const flipped = iban.slice(0, 6) + String((Number(iban[6]) + 1) % 10) + iban.slice(7);
    expect(redact(flipped)).not.toContain('[IBAN');
  });
});

describe('SSN', () => {
  it('redacts written SSNs by their rules and bare ones only in context', () => {
    expect(redact('ssn 123-45-6789')).toBe('ssn [SSN]');
    expect(redact('123 45 6789')).toBe('[SSN]');
    expect(redact('my social security number is 219099999')).toBe('my social security number is [SSN]');
    expect(redact('219099999')).toBe('219099999');
    for (const invalid of ['000-12-3456', '666-12-3456', '912-12-3456', '123-00-4567', '123-45-0000']) expect(redact(invalid)).toBe(invalid);
  });
});

describe('org patterns, e-mail and phone', () => {
  const policy: RedactionPolicy = {
    entities: { ...DEFAULT_REDACTION_POLICY.entities, email: true, phone: true },
    orgPatterns: [{ label: 'national ID', pattern: '[0-9]{6}-[0-9]{4}' }],
  };
  const full = createRedactor(policy);

  it('replaces them with their labels and reports what it did', () => {
    const result = full.redact('id 010190-1234, mail ada@example.org or +44 20 7946 0958');
    expect(result.text).toBe('id [national ID], mail [email] or [phone]');
    expect(result.counts).toEqual({ org: 1, email: 1, phone: 1 });
    expect(result.labels).toEqual(['national ID']);
  });

  it('leaves e-mail and phone numbers by default', () => {
    expect(redact('mail ada@example.org or call 555-123-4567')).toBe('mail ada@example.org or call 555-123-4567');
  });

  it('refuses patterns that are not RE2, match nothing, or have odd labels', () => {
    expect(compileOrgPattern({ label: 'x', pattern: 'a' })).toMatchObject({ ok: false });
    expect(compileOrgPattern({ label: 'national ID', pattern: '(a)\\1' })).toMatchObject({ ok: false, error: expect.stringMatching(/RE2/) });
    expect(compileOrgPattern({ label: 'national ID', pattern: 'a*' })).toMatchObject({ ok: false, error: expect.stringMatching(/empty/) });
    expect(compileOrgPattern({ label: 'national ID', pattern: '(a+)+$' })).toMatchObject({ ok: true });
  });

  it('runs a pattern that backtracks catastrophically elsewhere in linear time', () => {
    const evil = createRedactor({ ...DEFAULT_REDACTION_POLICY, orgPatterns: [{ label: 'evil', pattern: '(a+)+$' }] });
    const started = performance.now();
    evil.redact(`${'a'.repeat(4000)}!`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('properties', () => {
  const card = fc.constantFrom(...generatedCards(2).map((c) => c));
  const fragment = fc.oneof(
    fc.constantFrom('cvv', 'exp', 'expires', 'ssn', 'security code', 'the 3 digits on the back', 'card', 'IBAN', '[card •••• 4242]', '[security code]', '[expiry]'),
    fc.stringMatching(/^[0-9]{1,20}$/),
    fc.stringMatching(/^(0?[1-9]|1[0-2])\/[0-9]{2}$/),
    fc.stringMatching(/^[0-9]{3}-[0-9]{2}-[0-9]{4}$/),
    card.chain((c) => fc.constantFrom(...writtenForms(c.number, c.groups))),
    fc.constantFrom(...Object.values(IBANS)),
    fc.string({ maxLength: 12 }),
  );
  const text = fc.array(fragment, { maxLength: 14 }).chain((parts) =>
    fc.array(fc.constantFrom(' ', '  ', '-', '.', ', ', '', '\n', ': '), { minLength: parts.length, maxLength: parts.length }).map((seps) => parts.map((p, i) => p + seps[i]).join('')),
  );

  it('redacting twice gives the same text as once', () => {
    fc.assert(fc.property(text, (t) => redact(redact(t)) === redact(t)), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (t) => redact(redact(t)) === redact(t)), { numRuns: 2000 });
  });

  it('never leaves a 13 to 19 digit card number (Luhn-valid with a card prefix)', () => {
    fc.assert(
      fc.property(text, (t) => digitRuns(redact(t)).every((run) => !isCardNumber(run))),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9 .-]{0,80}$/), (t) => digitRuns(redact(t)).every((run) => !isCardNumber(run))),
      { numRuns: 3000 },
    );
  });
});
