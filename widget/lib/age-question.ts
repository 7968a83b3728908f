import { couldBeUnder13, isPlausibleBirthYear } from '../../shared/domain/child-age';

/** The start form's year of birth, read: a child (could be under 13) or not, or what to fix. */
export type BirthYearAnswer = { ok: true; birthYear: number; child: boolean } | { ok: false; error: string };

/** Reads what the customer typed into the year-of-birth field (asked only when the org turned it on). */
export function readBirthYear(text: string, now: Date): BirthYearAnswer {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'Enter your year of birth first (for example 1990).' };
  const year = /^\d{4}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!isPlausibleBirthYear(year, now)) return { ok: false, error: 'Enter your year of birth as four digits, for example 1990.' };
  return { ok: true, birthYear: year, child: couldBeUnder13(year, now) };
}

/** While typing: true once the field holds a year that could be under 13 (the form then hides name and e-mail). */
export function looksLikeChild(text: string, now: Date): boolean {
  const answer = readBirthYear(text, now);
  return answer.ok && answer.child;
}

/** For a start: nothing to send when the org does not ask; otherwise the year read, or what to fix. */
export function ageForStart(asked: boolean, text: string | undefined, now: Date): { ok: true; birthYear?: number; child: boolean } | { ok: false; error: string } {
  if (!asked) return { ok: true, child: false };
  return readBirthYear(text ?? '', now);
}
