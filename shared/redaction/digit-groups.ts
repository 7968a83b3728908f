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
function isSeparator(code: number): boolean {
  return code === 32 || code === 0xa0 || code === 45 || code === 46;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function digitGroups(text: string): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let current: DigitChunk[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const start = i;
    while (i < n && isDigit(text.charCodeAt(i))) i += 1;
    const chunk: DigitChunk = { start, end: i, digits: text.slice(start, i), sepBefore: '' };
    if (current.length > 0) {
      const prev = current[current.length - 1]!;
      chunk.sepBefore = text.slice(prev.end, start);
    }
    current.push(chunk);
    // Does a short separator lead to another digit? Then the group goes on.
    let j = i;
    while (j < n && j - i < 2 && isSeparator(text.charCodeAt(j))) j += 1;
    if (j > i && j < n && isDigit(text.charCodeAt(j))) {
      i = j;
      continue;
    }
    groups.push({ chunks: current });
    current = [];
  }
  return groups;
}
