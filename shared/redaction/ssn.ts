import type { DigitGroup } from './digit-groups';

/** US Social Security number rules: area 001–899 but not 666, group 01–99, serial 0001–9999. */
export function ssnValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area > 0 && area < 900 && area !== 666 && group > 0 && serial > 0;
}

export interface SsnSpan {
  start: number;
  end: number;
}

/** Written SSNs: 3-2-4 digits joined by the same dash or space ("123-45-6789", "123 45 6789"). */
export function findWrittenSsns(groups: readonly DigitGroup[]): SsnSpan[] {
  const found: SsnSpan[] = [];
  for (const { chunks } of groups) {
    for (let i = 0; i + 2 < chunks.length; i += 1) {
      const [a, b, c] = [chunks[i]!, chunks[i + 1]!, chunks[i + 2]!];
      if (a.digits.length !== 3 || b.digits.length !== 2 || c.digits.length !== 4) continue;
      if (b.sepBefore !== c.sepBefore || (b.sepBefore !== '-' && b.sepBefore !== ' ')) continue;
      // Only a whole group, or the start/end of one, counts: "1 123-45-6789 2" is something else.
      if (i > 0 || i + 3 < chunks.length) continue;
      if (ssnValid(a.digits + b.digits + c.digits)) found.push({ start: a.start, end: c.end });
    }
  }
  return found;
}
