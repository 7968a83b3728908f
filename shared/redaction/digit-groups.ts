/**
 * Digit groups: runs of digits ("chunks") joined by short separators, as people write card numbers,
 * SSNs and phone numbers ("4242 4242-4242.4242", "4 2 4 2 …"). One pass over the text; every later
 * check works on chunks, so no input can make the detectors backtrack.
 */

export interface DigitChunk {
  start: number;
  end: number;
  digits: string;
  /** The separator text before this chunk (empty for the first chunk of a group). */
  sepBefore: string;
}

export interface DigitGroup {
  chunks: DigitChunk[];
}

/** A separator is one or two of: space, no-break space, dash, dot. */
const SEPARATOR = /^[ \u00a0.-]{1,2}$/;
const DIGITS = /\d+/g;

/** Chunks found by a native scan; consecutive ones joined by a short separator form a group. */
export function digitGroups(text: string): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let current: DigitChunk[] = [];
  DIGITS.lastIndex = 0;
  for (let m = DIGITS.exec(text); m; m = DIGITS.exec(text)) {
    const start = m.index;
    const prev = current[current.length - 1];
    const sep = prev ? text.slice(prev.end, start) : '';
    if (prev && !SEPARATOR.test(sep)) {
      groups.push({ chunks: current });
      current = [];
    }
    current.push({ start, end: start + m[0].length, digits: m[0], sepBefore: current.length ? sep : '' });
  }
  if (current.length) groups.push({ chunks: current });
  return groups;
}
