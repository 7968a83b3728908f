import type { Replacement } from '../../../../shared/api/privacy';

/**
 * How a rectification's replacements apply to each kind of stored value:
 *
 * - a contact field (the customer's name, e-mail) is replaced when it is the value: the name
 *   exactly, the e-mail ignoring case; an empty `to` clears it;
 * - inside free text (messages, notes, wrap-up notes) every occurrence of a name, e-mail, phone or
 *   `text` value is replaced, as a whole word: "Jon" changes in "Hi Jon," but not in "Jonas". The
 *   e-mail is matched ignoring case, the rest exactly as typed.
 */
export class Replacements {
  private readonly patterns: { pattern: RegExp; to: string }[];

  constructor(private readonly list: readonly Replacement[]) {
    this.patterns = list.map((r) => ({ pattern: wholeWord(r.from, r.field === 'email'), to: r.to }));
  }

  /** The customer's name after the replacements: null when cleared; `value` itself when none applies. */
  name(value: string | null): string | null {
    if (value === null) return null;
    let next: string | null = value;
    for (const r of this.list) if (r.field === 'name' && next === r.from) next = r.to === '' ? null : r.to;
    return next;
  }

  /** The customer's e-mail after the replacements (matched ignoring case). */
  email(value: string | null): string | null {
    if (value === null) return null;
    let next: string | null = value;
    for (const r of this.list) if (r.field === 'email' && next !== null && next.toLowerCase() === r.from.toLowerCase()) next = r.to === '' ? null : r.to;
    return next;
  }

  /** Free text with every occurrence of every value replaced. */
  text(value: string): string {
    let next = value;
    for (const { pattern, to } of this.patterns) {
      pattern.lastIndex = 0;
      // A function, so `$&` or `$1` in the new value are taken literally.
      next = next.replace(pattern, () => to);
    }
    return next;
  }
}

const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

/** `from` where it is not part of a longer word (only where it starts or ends with a word character). */
function wholeWord(from: string, ignoreCase: boolean): RegExp {
  const escaped = from.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const chars = [...from];
  const before = WORD_CHAR.test(chars[0] ?? '') ? '(?<![\\p{L}\\p{N}_])' : '';
  const after = WORD_CHAR.test(chars.at(-1) ?? '') ? '(?![\\p{L}\\p{N}_])' : '';
  return new RegExp(`${before}${escaped}${after}`, ignoreCase ? 'giu' : 'gu');
}
