import { describe, expect, it } from 'vitest';
import { couldBeUnder13, isPlausibleBirthYear } from '../../../../shared/domain/child-age';

const at = (iso: string) => new Date(iso);

describe('couldBeUnder13 (a year of birth, conservatively)', () => {
  it('13 years before this year could still be 12 (birthday not yet passed): a child', () => {
    expect(couldBeUnder13(2013, at('2026-06-15T12:00:00Z'))).toBe(true);
  });

  it('14 years before is at least 13: not a child', () => {
    expect(couldBeUnder13(2012, at('2026-06-15T12:00:00Z'))).toBe(false);
    expect(couldBeUnder13(1980, at('2026-06-15T12:00:00Z'))).toBe(false);
  });

  it('younger and this year are children', () => {
    expect(couldBeUnder13(2020, at('2026-06-15T12:00:00Z'))).toBe(true);
    expect(couldBeUnder13(2026, at('2026-06-15T12:00:00Z'))).toBe(true);
  });

  it('on New Year the year is taken where it is earliest, so nobody who could be 12 anywhere passes', () => {
    // 1 January 2027 05:00 UTC is still 31 December 2026 west of UTC-5: born 2013 could be 12 there.
    expect(couldBeUnder13(2013, at('2027-01-01T05:00:00Z'))).toBe(true);
    // Once it is 2027 everywhere (12:00 UTC), 2013 is at least 13.
    expect(couldBeUnder13(2013, at('2027-01-01T12:00:00Z'))).toBe(false);
    expect(couldBeUnder13(2014, at('2027-01-01T12:00:00Z'))).toBe(true);
  });
});

describe('isPlausibleBirthYear', () => {
  it('accepts whole years from 1900 up to the current year anywhere, refuses the rest', () => {
    const now = at('2026-12-31T20:00:00Z');
    expect(isPlausibleBirthYear(1900, now)).toBe(true);
    expect(isPlausibleBirthYear(2026, now)).toBe(true);
    // Already 2027 in UTC+14.
    expect(isPlausibleBirthYear(2027, now)).toBe(true);
    expect(isPlausibleBirthYear(2028, now)).toBe(false);
    expect(isPlausibleBirthYear(1899, now)).toBe(false);
    expect(isPlausibleBirthYear(2000.5, now)).toBe(false);
  });
});
