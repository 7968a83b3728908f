import { SENSITIVE_CATEGORY_LABELS, SensitiveCategory, SensitiveKeywordRules } from '../../../shared';

/** The rules as the admin edits them: one line per rule, "category: keyword, keyword, …". */
export function rulesToText(rules: SensitiveKeywordRules): string {
  return rules.rules.map((r) => `${r.category}: ${r.keywords.join(', ')}`).join('\n');
}

const CATEGORY_BY_NAME = new Map<string, SensitiveCategory>(
  SensitiveCategory.options.flatMap((c) => [
    [c, c],
    [SENSITIVE_CATEGORY_LABELS[c], c],
  ]),
);

/** Reads the text back; the first problem names its line and what to write instead. Empty lines are skipped. */
export function textToRules(text: string): { rules: SensitiveKeywordRules } | { problem: string } {
  const rules: { category: SensitiveCategory; keywords: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const category = colon < 0 ? undefined : CATEGORY_BY_NAME.get(line.slice(0, colon).trim().toLowerCase());
    if (!category) return { problem: `Line ${i + 1}: start with a category and a colon, one of ${SensitiveCategory.options.join(', ')} (e.g. "health: diagnosis, hospital").` };
    const keywords = line.slice(colon + 1).split(',').map((k) => k.trim()).filter((k) => k !== '');
    rules.push({ category, keywords });
  }
  const parsed = SensitiveKeywordRules.safeParse({ rules });
  if (parsed.success) return { rules: parsed.data };
  const issue = parsed.error.issues[0];
  const line = typeof issue?.path[1] === 'number' ? ` (rule ${issue.path[1] + 1})` : '';
  return { problem: `${issue?.message ?? 'Not valid.'}${line}` };
}
