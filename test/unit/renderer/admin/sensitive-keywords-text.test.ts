import { describe, expect, it } from 'vitest';
import { DEFAULT_SENSITIVE_KEYWORDS } from '../../../../shared';
import { rulesToText, textToRules } from '../../../../renderer/features/admin/sensitive-keywords-text';

describe('the sensitive keyword rules as the admin edits them', () => {
  it('shows one rule a line and reads the same rules back', () => {
    const text = rulesToText(DEFAULT_SENSITIVE_KEYWORDS);
    expect(text.split('\n')[0]).toBe('health: diagnosis, prescription, hospital, medication');
    expect(textToRules(text)).toEqual({ rules: DEFAULT_SENSITIVE_KEYWORDS });
  });

  it('accepts the category labels, any case, spaces and empty lines', () => {
    expect(textToRules('\n  Union Membership :  union dues ,strike fund,\n\n')).toEqual({ rules: { rules: [{ category: 'union_membership', keywords: ['union dues', 'strike fund'] }] } });
    expect(textToRules('')).toEqual({ rules: { rules: [] } });
  });

  it('says which line is wrong and what to write', () => {
    const noCategory = textToRules('health: clinic\nweather: rain');
    expect('problem' in noCategory && noCategory.problem).toMatch(/^Line 2: start with a category/);
    const short = textToRules('health: x');
    expect('problem' in short && short.problem).toMatch(/at least 2 characters/);
    const empty = textToRules('health:');
    expect('problem' in empty && empty.problem).toMatch(/at least one keyword/);
  });
});
