/**
 * IBANs: two letters of a country, two check digits, then the country's fixed-length account part;
 * written in groups of four or not at all. Recognised only when the length is the country's and
 * the mod-97 check holds (ISO 13616), so words and codes that look alike stay.
 */

/** Total IBAN length per country (the SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18,
  GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24,
  PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

export function ibanChecksumValid(iban: string): boolean {
  // Move the first four characters to the end, letters → 10..35, then mod 97 piecewise.
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i += 1) {
    const code = rearranged.charCodeAt(i);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** A bracket next to an IBAN stops it as a letter would: a replacement there ("[SSN]") stood for digits. */
const isWordEdge = (c: number): boolean => isAlnum(c) || c === 91 || c === 93;
const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);

export interface IbanSpan {
  start: number;
  end: number;
  last4: string;
}

/** Where an IBAN may start: two letters and two digits at a word's start (a native scan finds the few). */
const IBAN_START = /(?<![A-Za-z0-9[\]])[A-Za-z]{2}\d{2}/g;

/**
 * At each word start with two letters and two digits, collects the country's length of letters and
 * digits (single spaces allowed between them) and checks it. At most 34 characters per start.
 */
export function findIbans(text: string): IbanSpan[] {
  const found: IbanSpan[] = [];
  const n = text.length;
  IBAN_START.lastIndex = 0;
  for (let m = IBAN_START.exec(text); m; m = IBAN_START.exec(text)) {
    const i = m.index;
    const length = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (!length) continue;
    let collected = '';
    let j = i;
    while (j < n && collected.length < length) {
      const c = text.charCodeAt(j);
      if (isAlnum(c)) {
        collected += String.fromCharCode(upper(c));
        j += 1;
      } else if (c === 32 && collected.length > 0 && j + 1 < n && isAlnum(text.charCodeAt(j + 1))) {
        j += 1;
      } else break;
    }
    if (collected.length === length && !(j < n && isWordEdge(text.charCodeAt(j))) && ibanChecksumValid(collected)) {
      found.push({ start: i, end: j, last4: collected.slice(-4) });
      IBAN_START.lastIndex = j;
    }
  }
  return found;
}
