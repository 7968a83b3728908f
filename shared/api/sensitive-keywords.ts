import { z } from 'zod';
import { SensitiveCategory } from '../domain/sensitive';

/** One keyword or phrase: 2–60 characters with at least one letter or digit (matched on whole words, case-insensitively; never a regex). */
export const SensitiveKeyword = z
  .string()
  .trim()
  .min(2, 'A keyword needs at least 2 characters.')
  .max(60, 'A keyword may have at most 60 characters.')
  .refine((k) => /[\p{L}\p{N}]/u.test(k), 'A keyword needs at least one letter or digit.');

export const SensitiveKeywordRule = z.strictObject({
  category: SensitiveCategory,
  keywords: z.array(SensitiveKeyword).min(1, 'A rule needs at least one keyword.').max(50, 'A rule may have at most 50 keywords.'),
});
export type SensitiveKeywordRule = z.infer<typeof SensitiveKeywordRule>;

/**
 * GET/PUT /api/admin/sensitive-keywords (admins): the org's keyword rules. A chat message in an
 * unmarked interaction that holds one of a rule's keywords suggests that category's sensitive mark
 * to the handling agent; nothing is marked by itself.
 */
export const SensitiveKeywordRules = z.strictObject({
  rules: z.array(SensitiveKeywordRule).max(50, 'At most 50 rules.'),
});
export type SensitiveKeywordRules = z.infer<typeof SensitiveKeywordRules>;

/** What a new org starts with until an admin saves its own. */
export const DEFAULT_SENSITIVE_KEYWORDS: SensitiveKeywordRules = {
  rules: [
    { category: 'health', keywords: ['diagnosis', 'prescription', 'hospital', 'medication'] },
    { category: 'religion', keywords: ['church', 'mosque', 'synagogue', 'temple'] },
    { category: 'union_membership', keywords: ['trade union', 'union dues'] },
    { category: 'criminal', keywords: ['criminal record', 'conviction'] },
  ],
};
