import type { DigitGroup } from './digit-groups';

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether the number starts like a payment card (ISO/IEC 7812 issuer prefixes of the card networks):
 * 3 (Amex, Diners, JCB), 4 (Visa), 5 (Mastercard, Maestro), 6 (Discover, UnionPay, Maestro, RuPay),
 * 2200–2204 (Mir) and 2221–2720 (Mastercard), and 1 with 15 digits (UATP). Numbers starting with
 * 0, 7, 8 or 9 are not payment cards, which keeps order, account and phone numbers out.
 */
export function hasCardPrefix(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  if (first >= 3 && first <= 6) return true;
  if (first === 2) {
    const four = Number(digits.slice(0, 4));
    return (four >= 2200 && four <= 2204) || (four >= 2221 && four <= 2720);
  }
  return first === 1 && digits.length === 15;
}

export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && hasCardPrefix(digits) && luhnValid(digits);
}

export interface CardSpan {
  start: number;
  end: number;
  last4: string;
}

/**
 * Card numbers in digit groups: the longest run of whole chunks, from the leftmost chunk, whose
 * digits make a card number. A chunk is never split, so a card followed by its code
 * ("4242 4242 4242 4242 123") yields the card and leaves the code to the context rules. At most 19
 * chunks are tried from each start: linear in the text.
 */
export function findCards(groups: readonly DigitGroup[]): CardSpan[] {
  const found: CardSpan[] = [];
  for (const { chunks } of groups) {
    let i = 0;
    while (i < chunks.length) {
      let digits = '';
      let best = -1;
      for (let j = i; j < chunks.length; j += 1) {
        digits += chunks[j]!.digits;
        if (digits.length > 19) break;
        if (isCardNumber(digits)) best = j;
      }
      if (best < 0) {
        i += 1;
        continue;
      }
      const all = chunks.slice(i, best + 1).map((c) => c.digits).join('');
      found.push({ start: chunks[i]!.start, end: chunks[best]!.end, last4: all.slice(-4) });
      i = best + 1;
    }
  }
  return found;
}
