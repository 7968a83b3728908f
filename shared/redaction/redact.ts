import { findCards } from './cards';
import { findEmails, findPhones } from './contacts';
import {
  AFTER_CARD,
  AFTER_KEYWORD,
  BEFORE_KEYWORD,
  EXPIRY_VALUE,
  EXPIRY_WORDS,
  SECURITY_CODE_WORDS,
  SSN_WORDS,
  UnitScale,
  keywordSpans,
  nearAnchor,
  type Span,
} from './context';
import { digitGroups, type DigitGroup } from './digit-groups';
import { findIbans } from './iban';
import { compileOrgPattern, findOrgPattern, type CompiledOrgPattern } from './org-patterns';
import type { RedactionEntity, RedactionPolicy } from './policy';
import { findWrittenSsns, ssnValid } from './ssn';

/**
 * The redactor: one pass of detectors over a message, each span replaced by what an agent needs and
 * nothing more (`[card •••• 4242]`, `[security code]`, …). Replacements already in a text are kept as
 * they are and count as one character for the context rules, so redacting twice changes nothing.
 * Every detector is linear in the text (see each file), so a 4,000-character message costs well
 * under a millisecond whatever it holds.
 */

export type RedactionKind = RedactionEntity | 'org';

interface Found extends Span {
  kind: RedactionKind;
  replacement: string;
}

export interface RedactionResult {
  text: string;
  /** How many of each kind were replaced (kinds with none are absent). */
  counts: Partial<Record<RedactionKind, number>>;
  /** Org pattern labels that matched, for the sender's "why" line. */
  labels: string[];
}

export interface Redactor {
  redact(text: string): RedactionResult;
}

const FIXED_TOKENS = ['security code', 'expiry', 'SSN', 'email', 'phone'];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keeps spans of `next` that overlap nothing in `taken` (both sorted by start); returns the merged, sorted set. */
function addWithoutOverlap<T extends Span>(taken: T[], next: T[]): T[] {
  next.sort((a, b) => a.start - b.start);
  const merged: T[] = [];
  let i = 0;
  let lastEnd = -1;
  for (const span of next) {
    while (i < taken.length && taken[i]!.start < span.start) {
      lastEnd = Math.max(lastEnd, taken[i]!.end);
      merged.push(taken[i++]!);
    }
    const nextTaken = taken[i];
    if (span.start < lastEnd || (nextTaken && nextTaken.start < span.end)) continue;
    merged.push(span);
    lastEnd = span.end;
  }
  while (i < taken.length) merged.push(taken[i++]!);
  return merged;
}

/** Whether any span covers a chunk (both in text order): most messages need no regrouping. */
function coversAnyChunk(groups: readonly DigitGroup[], taken: readonly Span[]): boolean {
  if (taken.length === 0) return false;
  let t = 0;
  for (const { chunks } of groups) {
    for (const chunk of chunks) {
      while (t < taken.length && taken[t]!.end <= chunk.start) t += 1;
      if (t === taken.length) return false;
      if (taken[t]!.start < chunk.end) return true;
    }
  }
  return false;
}

/** The groups' chunks left once the taken spans are removed, re-joined into groups where they stay adjacent. */
function remainingGroups(groups: DigitGroup[], taken: readonly Span[]): DigitGroup[] {
  if (!coversAnyChunk(groups, taken)) return groups;
  const out: DigitGroup[] = [];
  let t = 0;
  for (const { chunks } of groups) {
    let current: DigitGroup['chunks'] = [];
    for (const chunk of chunks) {
      while (t < taken.length && taken[t]!.end <= chunk.start) t += 1;
      const covered = t < taken.length && taken[t]!.start < chunk.end;
      if (covered) {
        if (current.length) out.push({ chunks: current });
        current = [];
      } else current.push(current.length ? chunk : { ...chunk, sepBefore: '' });
    }
    if (current.length) out.push({ chunks: current });
  }
  return out;
}

export function createRedactor(policy: RedactionPolicy): Redactor {
  const on = policy.entities;
  const orgPatterns: CompiledOrgPattern[] = [];
  for (const p of policy.orgPatterns) {
    const check = compileOrgPattern(p);
    if (!check.ok) throw new Error(check.error);
    orgPatterns.push(check.compiled);
  }
  const labels = [...FIXED_TOKENS, ...orgPatterns.map((p) => p.label)].map(escapeRegExp).join('|');
  const tokenRe = new RegExp(`\\[(?:card •••• \\d{4}|IBAN •••• [0-9A-Z]{4}|${labels})\\]`, 'g');

  function redact(text: string): RedactionResult {
    let taken: Found[] = [];
    tokenRe.lastIndex = 0;
    const tokens: Found[] = [];
    for (let m = tokenRe.exec(text); m; m = tokenRe.exec(text)) {
      tokens.push({ start: m.index, end: m.index + m[0].length, kind: 'org', replacement: m[0] });
    }
    // Tokens stay as they are; they are "taken" so that nothing inside them is read again.
    taken = addWithoutOverlap(taken, tokens);
    const cardTokens = tokens.filter((t) => t.replacement.startsWith('[card'));

    const allGroups = digitGroups(text);
    if (on.iban) {
      taken = addWithoutOverlap(taken, findIbans(text).map((s) => ({ ...s, kind: 'iban' as const, replacement: `[IBAN •••• ${s.last4}]` })));
    }
    let groups = remainingGroups(allGroups, taken);
    let cards: Found[] = [];
    if (on.card) {
      cards = findCards(groups).map((s) => ({ ...s, kind: 'card' as const, replacement: `[card •••• ${s.last4}]` }));
      taken = addWithoutOverlap(taken, cards);
      groups = remainingGroups(groups, taken);
    }
    // Expiry candidates (month/year dates) are set apart before the digit rules below, replaced or
    // not, so that a date next to other numbers reads the same on a second pass.
    const expiryValues: Span[] = [];
    if (on.expiry) {
      EXPIRY_VALUE.lastIndex = 0;
      for (let m = EXPIRY_VALUE.exec(text); m; m = EXPIRY_VALUE.exec(text)) expiryValues.push({ start: m.index, end: m.index + m[0].length });
    }
    const expiries = freeOf(taken, expiryValues);
    groups = remainingGroups(groups, expiries);
    if (on.ssn) {
      taken = addWithoutOverlap(taken, findWrittenSsns(groups).map((s) => ({ ...s, kind: 'ssn' as const, replacement: '[SSN]' })));
      groups = remainingGroups(groups, taken);
    }
    for (const pattern of orgPatterns) {
      taken = addWithoutOverlap(taken, findOrgPattern(text, pattern).map((s) => ({ start: s.start, end: s.end, kind: 'org' as const, replacement: `[${s.label}]` })));
    }
    if (on.email) taken = addWithoutOverlap(taken, findEmails(text).map((s) => ({ ...s, kind: 'email' as const, replacement: '[email]' })));
    groups = remainingGroups(groups, taken);
    if (on.phone) {
      taken = addWithoutOverlap(taken, findPhones(text, groups).map((s) => ({ ...s, kind: 'phone' as const, replacement: '[phone]' })));
      groups = remainingGroups(groups, taken);
    }

    // Context rules. Every candidate value counts as one unit whether or not it is replaced, as a
    // replacement will on a second pass.
    const single = (len: (n: number) => boolean): Span[] =>
      groups.filter((g) => g.chunks.length === 1 && len(g.chunks[0]!.digits.length)).map((g) => ({ start: g.chunks[0]!.start, end: g.chunks[0]!.end }));
    const codes = on.securityCode ? freeOf(expiries, single((n) => n === 3 || n === 4)) : [];
    const bareSsns = on.ssn ? single((n) => n === 9).filter((g) => ssnValid(text.slice(g.start, g.end))) : [];
    const units = mergeOverlaps([...taken, ...expiries, ...codes, ...bareSsns].sort((a, b) => a.start - b.start));
    const scale = new UnitScale(units);
    const keywords = (words: RegExp): Span[] => freeOf(units, keywordSpans(text, words));

    const found: Found[] = [];
    if (expiries.length) {
      const words = keywords(EXPIRY_WORDS);
      const cardAnchors = mergeOverlaps([...cards, ...cardTokens].sort((a, b) => a.start - b.start));
      for (const e of expiries) {
        if (nearAnchor(e, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD) || nearAnchor(e, cardAnchors, scale, AFTER_CARD, -1)) {
          found.push({ ...e, kind: 'expiry', replacement: '[expiry]' });
        }
      }
    }
    if (codes.length) {
      const words = keywords(SECURITY_CODE_WORDS);
      for (const c of codes) if (nearAnchor(c, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD)) found.push({ ...c, kind: 'securityCode', replacement: '[security code]' });
    }
    if (bareSsns.length) {
      const words = keywords(SSN_WORDS);
      for (const c of bareSsns) if (nearAnchor(c, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD)) found.push({ ...c, kind: 'ssn', replacement: '[SSN]' });
    }
    taken = addWithoutOverlap(taken, found);

    // Build the result from the replaced spans (tokens are kept as they were).
    let out = '';
    let at = 0;
    const counts: RedactionResult['counts'] = {};
    const matchedLabels = new Set<string>();
    const kept = new Set<Found>(tokens);
    for (const span of taken) {
      if (kept.has(span)) continue;
      out += text.slice(at, span.start) + span.replacement;
      at = span.end;
      counts[span.kind] = (counts[span.kind] ?? 0) + 1;
      if (span.kind === 'org') matchedLabels.add(span.replacement.slice(1, -1));
    }
    out += text.slice(at);
    return { text: out, counts, labels: [...matchedLabels] };
  }
  return { redact };
}

/** The spans of `spans` that overlap none of `taken` (both sorted by start), in one walk. */
function freeOf(taken: readonly Span[], spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let t = 0;
  for (const s of spans) {
    while (t < taken.length && taken[t]!.end <= s.start) t += 1;
    if (t < taken.length && taken[t]!.start < s.end) continue;
    out.push(s);
  }
  return out;
}

/** Sorted spans with overlapping ones merged. */
function mergeOverlaps(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}
