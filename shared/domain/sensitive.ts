import { z } from 'zod';

/** The special categories of personal data (GDPR art. 9, plus criminal matters, art. 10) an interaction can be marked with. */
export const SensitiveCategory = z.enum(['health', 'ethnic_origin', 'religion', 'politics', 'union_membership', 'sex_life', 'criminal']);
export type SensitiveCategory = z.infer<typeof SensitiveCategory>;

/** Words the app shows for each category ("Sensitive: health"). */
export const SENSITIVE_CATEGORY_LABELS: Readonly<Record<SensitiveCategory, string>> = {
  health: 'health',
  ethnic_origin: 'ethnic origin',
  religion: 'religion',
  politics: 'politics',
  union_membership: 'union membership',
  sex_life: 'sex life',
  criminal: 'criminal matters',
};

/** An interaction's mark: which category, when, and the id of the user who marked it. */
export const SensitiveMark = z.object({
  category: SensitiveCategory,
  markedAt: z.string(),
  markedBy: z.string(),
});
export type SensitiveMark = z.infer<typeof SensitiveMark>;
