import { RE2JS } from 're2js';
import { MAX_ORG_PATTERN_LENGTH, ORG_LABEL_RE, type OrgPattern } from './policy';

/**
 * Org patterns run on RE2 (re2js), whose matching time is linear in the text whatever the pattern,
 * so an admin's pattern cannot stall the server. A pattern is checked once, when it is saved and
 * when a redactor is built: it must compile, must not match the empty string, and its label must be
 * plain words.
 */

export interface CompiledOrgPattern {
  label: string;
  regex: RE2JS;
}

export type OrgPatternCheck = { ok: true; compiled: CompiledOrgPattern } | { ok: false; error: string };

export function compileOrgPattern(p: OrgPattern): OrgPatternCheck {
  if (!ORG_LABEL_RE.test(p.label)) return { ok: false, error: `label "${p.label}": use 2 to 40 letters and spaces, starting and ending with a letter` };
  if (p.pattern.length === 0 || p.pattern.length > MAX_ORG_PATTERN_LENGTH) {
    return { ok: false, error: `pattern for "${p.label}": 1 to ${MAX_ORG_PATTERN_LENGTH} characters` };
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(p.pattern, p.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    return { ok: false, error: `pattern for "${p.label}" is not valid RE2 syntax (no lookaround or backreferences): ${(error as Error).message}` };
  }
  if (regex.matches('')) return { ok: false, error: `pattern for "${p.label}" matches empty text; it must match at least one character` };
  return { ok: true, compiled: { label: p.label, regex } };
}

export interface OrgSpan {
  start: number;
  end: number;
  label: string;
}

export function findOrgPattern(text: string, pattern: CompiledOrgPattern): OrgSpan[] {
  const spans: OrgSpan[] = [];
  const matcher = pattern.regex.matcher(text);
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    if (end > start) spans.push({ start, end, label: pattern.label });
  }
  return spans;
}
