import type { SensitiveCategory } from '../../../shared/domain/sensitive';
import type { SensitiveKeywordRule } from '../../../shared/api/sensitive-keywords';

/** Finds which sensitive categories a text's words name; never the words themselves. */
export interface SensitiveKeywordMatcher {
  match(text: string): SensitiveCategory[];
}

// Words are runs of letters (with their combining marks) and digits, in any script.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

interface Phrase {
  rest: string[];
  category: SensitiveCategory;
}

/**
 * Built once per saved rule set. A keyword is one word or a phrase of words; the text is split
 * into words once (one pass, no backtracking) and each word looks up the phrases that start with
 * it, so the cost is linear in the text with a bound set by the rules (≤ 50 × 50 keywords of ≤ 60
 * characters), not by what a customer types.
 */
export function createKeywordMatcher(rules: readonly SensitiveKeywordRule[]): SensitiveKeywordMatcher {
  const byFirst = new Map<string, Phrase[]>();
  for (const rule of rules) {
    for (const keyword of rule.keywords) {
      const [first, ...rest] = words(keyword);
      if (first === undefined) continue;
      const list = byFirst.get(first) ?? [];
      list.push({ rest, category: rule.category });
      byFirst.set(first, list);
    }
  }
  return {
    match(text) {
      if (byFirst.size === 0) return [];
      const found = new Set<SensitiveCategory>();
      const tokens = words(text);
      for (let i = 0; i < tokens.length; i++) {
        const phrases = byFirst.get(tokens[i]!);
        if (!phrases) continue;
        for (const p of phrases) {
          if (found.has(p.category)) continue;
          if (p.rest.every((w, j) => tokens[i + 1 + j] === w)) found.add(p.category);
        }
      }
      return [...found];
    },
  };
}
