/**
 * Test corpora for the redactor. Card numbers: the networks' published test numbers plus numbers
 * generated here with each network's issuer prefix and a Luhn check digit. Look-alikes: the kinds of
 * numbers customers type that are not cards (order, phone, tracking numbers, dates, times, amounts,
 * Luhn-invalid 16-digit numbers with card prefixes).
 */

/** Luhn check digit for a partial number, computed independently of the code under test. */
export function luhnCheckDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i += 1) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A deterministic pseudo-random source, so every run tests the same numbers. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const BRANDS: { brand: string; prefixes: string[]; length: number; groups: number[]; published: string[] }[] = [
  { brand: 'Visa', prefixes: ['4'], length: 16, groups: [4, 4, 4, 4], published: ['4242424242424242', '4111111111111111', '4012888888881881', '4000056655665556'] },
  { brand: 'Mastercard', prefixes: ['51', '53', '55', '2221', '2720'], length: 16, groups: [4, 4, 4, 4], published: ['5555555555554444', '5105105105105100', '2223003122003222', '5200828282828210'] },
  { brand: 'American Express', prefixes: ['34', '37'], length: 15, groups: [4, 6, 5], published: ['378282246310005', '371449635398431', '378734493671000'] },
  { brand: 'Discover', prefixes: ['6011', '644', '65'], length: 16, groups: [4, 4, 4, 4], published: ['6011111111111117', '6011000990139424'] },
  { brand: 'Diners Club', prefixes: ['300', '305', '36', '38'], length: 14, groups: [4, 6, 4], published: ['30569309025904', '38520000023237'] },
  { brand: 'JCB', prefixes: ['3528', '3589'], length: 16, groups: [4, 4, 4, 4], published: ['3530111333300000', '3566002020360505'] },
  { brand: 'UnionPay', prefixes: ['62'], length: 16, groups: [4, 4, 4, 4], published: ['6200000000000005'] },
  { brand: 'UnionPay 19', prefixes: ['62'], length: 19, groups: [4, 4, 4, 4, 3], published: [] },
  { brand: 'Maestro', prefixes: ['6759', '5018'], length: 16, groups: [4, 4, 4, 4], published: ['6759649826438453'] },
  { brand: 'Mir', prefixes: ['2200', '2204'], length: 16, groups: [4, 4, 4, 4], published: [] },
];

export function generatedCards(perPrefix: number, seed = 7): { brand: string; number: string; groups: number[] }[] {
  const rnd = seeded(seed);
  const out: { brand: string; number: string; groups: number[] }[] = [];
  for (const b of BRANDS) {
    for (const n of b.published) out.push({ brand: b.brand, number: n, groups: b.groups });
    for (const prefix of b.prefixes) {
      for (let k = 0; k < perPrefix; k += 1) {
        let partial = prefix;
        while (partial.length < b.length - 1) partial += String(Math.floor(rnd() * 10));
        out.push({ brand: b.brand, number: partial + luhnCheckDigit(partial), groups: b.groups });
      }
    }
  }
  return out;
}

function grouped(number: string, groups: number[], sep: string): string {
  const parts: string[] = [];
  let at = 0;
  for (const g of groups) {
    parts.push(number.slice(at, at + g));
    at += g;
  }
  if (at < number.length) parts.push(number.slice(at));
  return parts.filter(Boolean).join(sep);
}

/** Eight ways people write one card number, inside sentences. */
export function writtenForms(number: string, groups: number[]): string[] {
  return [
    `${number}`,
    `my card is ${grouped(number, groups, ' ')}`,
    `card number: ${grouped(number, groups, '-')}, thanks`,
    `it's ${grouped(number, groups, '.')}.`,
    `${grouped(number, groups, '  ')} is the one`,
    `use\u00a0${grouped(number, groups, '\u00a0')}\u00a0please`,
    `pay with ${number.split('').join(' ')} today`,
    `(${grouped(number, [4], ' ')})`,
  ];
}

export function lookAlikes(): string[] {
  const rnd = seeded(99);
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rnd() * 10))).join('');
  const out: string[] = [];
  for (let k = 0; k < 60; k += 1) {
    out.push(
      `order ${digits(8)} shipped`,
      `Order #A${digits(7)}`,
      `ref ORD-2026-${digits(6)}`,
      `invoice ${2025 + (k % 2)}${digits(2).replace(/^./, '0')}${digits(2).replace(/^./, '1')}${digits(6)}`,
      `call me on +1 (415) ${digits(3)}-${digits(4)}`,
      `my number is +44 20 ${digits(4)} ${digits(4)}`,
      `ring 0049 30 ${digits(4)} ${digits(4)}`,
      `mobile 07${digits(3)} ${digits(6)}`,
      `on ${1 + (k % 12)}/${1 + (k % 28)}/2026 at ${k % 24}:${digits(2).replace(/^[6-9]/, '3')}`,
      `meet 2026-${String(1 + (k % 12)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')} 14:30`,
      `tracking 1Z${digits(3)}AA${digits(10)}`,
      `FedEx ${digits(12)}`,
      `USPS 9400 1${digits(3)} ${digits(4)} ${digits(4)} ${digits(4)} ${digits(2)}`,
      `total $${digits(3)}.${digits(2)} for ${digits(2)} items`,
      `account 7${digits(15)}`,
      `code ${digits(3)} is the door code`,
    );
    // Luhn-invalid 16-digit numbers with card prefixes.
    const partial = `4${digits(14)}`;
    const wrong = String((Number(luhnCheckDigit(partial)) + 1 + (k % 9)) % 10);
    out.push(`number ${partial}${wrong}`);
  }
  return out;
}

/** Example IBANs of ten countries (the registry's published examples). */
export const IBANS: Record<string, string> = {
  DE: 'DE89370400440532013000',
  GB: 'GB82WEST12345698765432',
  FR: 'FR1420041010050500013M02606',
  ES: 'ES9121000418450200051332',
  IT: 'IT60X0542811101000000123456',
  NL: 'NL91ABNA0417164300',
  BE: 'BE68539007547034',
  CH: 'CH9300762011623852957',
  AT: 'AT611904300234573201',
  PL: 'PL61109010140000071219812874',
};
