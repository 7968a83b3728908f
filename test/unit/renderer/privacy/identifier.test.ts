import { describe, expect, it } from 'vitest';
import { guessKind, parseIdentifier, subjectFor } from '../../../../renderer/features/privacy/identifier';

describe('the one search box', () => {
  it('guesses what was typed: an @ is an e-mail, a UUID an interaction id, digits a phone, anything else a name', () => {
    expect(guessKind(' Ada@Example.com ')).toBe('email');
    expect(guessKind('11111111-2222-4333-8444-555555555555')).toBe('interactionId');
    expect(guessKind('+44 (20) 7946-0958')).toBe('phone');
    expect(guessKind('Ada Lovelace')).toBe('name');
    expect(guessKind('12')).toBe('name');
  });

  it('builds the query the server accepts (e-mails in lower case), or says what to type instead', () => {
    expect(parseIdentifier(' Ada@Example.com ', 'auto')).toEqual({ ok: true, kind: 'email', value: 'ada@example.com', query: { email: 'ada@example.com' } });
    expect(parseIdentifier('Ada', 'name')).toMatchObject({ ok: true, query: { name: 'Ada' } });
    // The officer overrides the guess: digits searched as a name.
    expect(parseIdentifier('12345', 'name')).toMatchObject({ ok: true, kind: 'name', query: { name: '12345' } });
    expect(parseIdentifier('   ', 'auto')).toEqual({ ok: false, message: expect.stringMatching(/Type an e-mail/) });
    expect(parseIdentifier('not-an-email', 'email')).toEqual({ ok: false, message: expect.stringMatching(/not an e-mail address/) });
    expect(parseIdentifier('A', 'auto')).toEqual({ ok: false, message: expect.stringMatching(/at least 2 letters/) });
  });

  it('a request is about the identifier typed when every match is ticked, else only the ticked interactions', () => {
    const ids = ['i1', 'i2', 'i3'];
    expect(subjectFor({ kind: 'email', value: 'ada@example.com' }, ids, new Set(ids))).toEqual({ email: 'ada@example.com' });
    expect(subjectFor({ kind: 'name', value: 'Ada' }, ids, new Set(['i1', 'i3']))).toEqual({ interactionIds: ['i1', 'i3'] });
    expect(subjectFor({ kind: 'interactionId', value: 'i2' }, ['i2'], new Set(['i2']))).toEqual({ interactionIds: ['i2'] });
  });
});
