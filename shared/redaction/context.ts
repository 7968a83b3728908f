/**
 * Security codes, expiry dates and bare SSNs look like any short number or date; they are redacted
 * only when context says what they are: a keyword near them ("cvv", "the 3 digits on the back",
 * "expires", "ssn") or, for an expiry, a card number just before. Distances are counted with every
 * redacted span (or replacement already in the text) as one character, so that redacting a text
 * twice gives the same result as once.
 */

export interface KeywordSet {
  /** For text lowercased by `keywordText` (no /i: V8 runs it about a third faster). */
  lower: RegExp;
  /** For the text as written, when lowercasing is not safe for it. */
  anyCase: RegExp;
}

function keywordSet(source: string): KeywordSet {
  return { lower: new RegExp(source, 'g'), anyCase: new RegExp(source, 'gi') };
}

// Word edges are "no letter next to it" rather than \b (the start is checked in keywordSpans), so
// that a value replaced next to a keyword ("cvv123" → "cvv[security code]") does not turn it into a
// keyword on a second pass; a keyword's own digits ("cvv2", "3 digits") never run into a number.
export const SECURITY_CODE_WORDS = keywordSet(
  String.raw`(?:cvv(?:2(?!\d))?|cvc(?:2(?!\d))?|cvn|cid|csc|cav2(?!\d)|security (?:code|number)|sec code|card (?:code|verification)|verification (?:code|number|value)|(?:3|4|three|four)[ -]digits?(?: code)? (?:on|at|from) the back|code on the back|digits on the back)(?![a-z])`,
);
export const EXPIRY_WORDS = keywordSet(String.raw`(?:exp|expiry|expires|expiring|expiration|exp date|valid (?:thru|through|until)|good thru|mm\/yy)(?![a-z])`);
export const SSN_WORDS = keywordSet(String.raw`(?:ssn|social security(?: number| no)?)(?![a-z])`);

/**
 * The text lowercased for the keyword expressions, or null when lowercasing would not match what
 * /i matches: a character whose lowercase has another length (İ) would shift every position, and the
 * Kelvin sign lowercases to an ASCII "k" that /i does not equate with "k".
 */
export function keywordText(text: string): string | null {
  const lower = text.toLowerCase();
  return lower.length === text.length && !text.includes('\u212a') ? lower : null;
}

/** How far a keyword may stand from the value, in characters. */
export const AFTER_KEYWORD = 32;
export const BEFORE_KEYWORD = 16;
export const AFTER_CARD = 24;

export interface Span {
  start: number;
  end: number;
}

/** Positions in "units": characters, with each of the given spans counted as one. */
export class UnitScale {
  private readonly starts: number[];
  private readonly shrinkBefore: number[];

  constructor(private readonly spans: readonly Span[]) {
    this.starts = spans.map((s) => s.start);
    this.shrinkBefore = [];
    let shrink = 0;
    for (const s of spans) {
      this.shrinkBefore.push(shrink);
      shrink += s.end - s.start - 1;
    }
  }

  /** The unit position of character index `at` (which is outside every span or at a span's edge). */
  unit(at: number): number {
    // Last span starting before `at` (binary search).
    let lo = 0;
    let hi = this.starts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < at) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return at;
    const span = this.spans[k]!;
    const shrink = this.shrinkBefore[k]! + (at >= span.end ? span.end - span.start - 1 : 0);
    return at - shrink;
  }
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Keyword matches as spans, each starting where no letter stands before it (checked here rather
 * than by a lookbehind in the regex, which V8 runs at every position: several times slower). The
 * regexes are flat alternations: linear.
 */
export function keywordSpans(text: string, lower: string | null, words: KeywordSet): Span[] {
  const spans: Span[] = [];
  const re = lower === null ? words.anyCase : words.lower;
  const haystack = lower ?? text;
  re.lastIndex = 0;
  for (let m = re.exec(haystack); m; m = re.exec(haystack)) {
    if (m.index > 0 && isLetter(text.charCodeAt(m.index - 1))) {
      re.lastIndex = m.index + 1;
      continue;
    }
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/**
 * Whether a value has an anchor ending at most `after` units before it, or starting at most `before`
 * units after it. Anchors are sorted and do not overlap, so the nearest on each side is found by
 * binary search: no input can make this quadratic.
 */
export function nearAnchor(value: Span, anchors: readonly Span[], scale: UnitScale, after: number, before: number): boolean {
  let lo = 0;
  let hi = anchors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid]!.end <= value.start) lo = mid + 1;
    else hi = mid;
  }
  const prev = anchors[lo - 1];
  if (prev && scale.unit(value.start) - scale.unit(prev.end) <= after) return true;
  let k = lo;
  while (k < anchors.length && anchors[k]!.start < value.end) k += 1;
  const next = anchors[k];
  return Boolean(next && scale.unit(next.start) - scale.unit(value.end) <= before);
}

/** Month/year dates: 1–12 then 2 or 4 digits of year, joined by / or - (spaces allowed around). */
export const EXPIRY_VALUE = /(?<![\d/-])(?:0?[1-9]|1[0-2]) ?[/-] ?(?:\d{2}|20\d{2})(?![\d/-])/g;
