import type { DigitGroup } from './digit-groups';

/** E-mail addresses: bounded parts, so matching stays linear. */
// Brackets count as part of a word at the edges: a replacement next to an address stood for text.
const EMAIL = /(?<![A-Za-z0-9._%+\][-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z0-9[\]-])/g;

export function findEmails(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

/**
 * Phone numbers: a digit group of 7 to 15 digits in two or more chunks, or one written with a
 * leading + ("+44 20 7946 0958", "555-123-4567"). Parentheses around an area code are included.
 */
export function findPhones(text: string, groups: readonly DigitGroup[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const { chunks } of groups) {
    const digits = chunks.reduce((n, c) => n + c.digits.length, 0);
    const first = chunks[0]!;
    const plus = first.start > 0 && text[first.start - 1] === '+';
    if (digits < 7 || digits > 15 || (chunks.length < 2 && !plus)) continue;
    spans.push({ start: plus ? first.start - 1 : first.start, end: chunks[chunks.length - 1]!.end });
  }
  return spans;
}
