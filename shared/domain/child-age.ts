/**
 * Children under 13 (privacy-model.md, principle 7). The widget asks for a year of birth, not a
 * date: with a year alone a customer's age is one of two values (this year's birthday passed or
 * not), so the check is conservative and treats as a child anyone who could still be 12.
 * Pure: the widget and the server use the same rule.
 */
export const CHILD_AGE_LIMIT = 13;

/** Years of birth the widget accepts: nobody is older than this, nobody is born in the future. */
export const OLDEST_BIRTH_YEAR = 1900;

/** The westmost time zone (UTC-12): the calendar year there is the earliest anywhere at an instant. */
const WESTMOST_OFFSET_MS = 12 * 3600_000;

/**
 * True when someone born in `birthYear` could be younger than 13 at the instant `now`, wherever
 * they are: the year is taken where it is earliest (UTC-12), so the widget and the server agree
 * whatever the customer's time zone, and a New Year's Eve never makes a child look 13.
 */
export function couldBeUnder13(birthYear: number, now: Date): boolean {
  const earliestYear = new Date(now.getTime() - WESTMOST_OFFSET_MS).getUTCFullYear();
  // Born in year Y: (year - Y - 1) before this year's birthday, (year - Y) after.
  const youngestPossibleAge = earliestYear - birthYear - 1;
  return youngestPossibleAge < CHILD_AGE_LIMIT;
}

/** A year of birth the form accepts at `now` (up to the latest year anywhere, UTC+14); anything else is asked again. */
export function isPlausibleBirthYear(birthYear: number, now: Date): boolean {
  const latestYear = new Date(now.getTime() + 14 * 3600_000).getUTCFullYear();
  return Number.isInteger(birthYear) && birthYear >= OLDEST_BIRTH_YEAR && birthYear <= latestYear;
}
