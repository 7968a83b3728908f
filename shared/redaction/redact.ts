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
  keywordText,
  type KeywordSet,
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

/**
 * Keeps spans of `next` that overlap nothing in `taken` (both sorted by start); returns the merged,
 * sorted set, and pushes the spans it kept onto `added` when given.
 */
function addWithoutOverlap<T extends Span>(taken: T[], next: T[], added?: T[]): T[] {
  if (next.length === 0) return taken;
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
    added?.push(span);
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

/**
 * The groups' chunks left once the taken spans (sorted, not overlapping) are removed, re-joined into
 * groups where they stay adjacent. Callers pass only the spans taken since the groups were last
 * computed: older ones cover no chunk any more.
 */
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
    let groups = digitGroups(text);
    // Adds spans that overlap nothing taken yet and drops the digit chunks they cover. Spans are
    // built field by field (no object spread): this runs for every message, and spreads cost.
    const take = (next: Found[]): void => {
      const added: Found[] = [];
      taken = addWithoutOverlap(taken, next, added);
      groups = remainingGroups(groups, added);
    };

    tokenRe.lastIndex = 0;
    const tokens: Found[] = [];
    const cardTokens: Span[] = [];
    for (let m = tokenRe.exec(text); m; m = tokenRe.exec(text)) {
      const token: Found = { start: m.index, end: m.index + m[0].length, kind: 'org', replacement: m[0] };
      tokens.push(token);
      if (m[0].startsWith('[card')) cardTokens.push(token);
    }
    // Tokens stay as they are; they are "taken" so that nothing inside them is read again.
    take(tokens);
    if (on.iban) take(findIbans(text).map((s): Found => ({ start: s.start, end: s.end, kind: 'iban', replacement: `[IBAN •••• ${s.last4}]` })));
    let cards: Found[] = [];
    if (on.card) {
      cards = findCards(groups).map((s): Found => ({ start: s.start, end: s.end, kind: 'card', replacement: `[card •••• ${s.last4}]` }));
      take(cards);
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
    if (on.ssn) take(findWrittenSsns(groups).map((s): Found => ({ start: s.start, end: s.end, kind: 'ssn', replacement: '[SSN]' })));
    for (const pattern of orgPatterns) {
      take(findOrgPattern(text, pattern).map((s): Found => ({ start: s.start, end: s.end, kind: 'org', replacement: `[${s.label}]` })));
    }
    if (on.email) take(findEmails(text).map((s): Found => ({ start: s.start, end: s.end, kind: 'email', replacement: '[email]' })));
    if (on.phone) take(findPhones(text, groups).map((s): Found => ({ start: s.start, end: s.end, kind: 'phone', replacement: '[phone]' })));

    // Context rules. Every candidate value counts as one unit whether or not it is replaced, as a
    // replacement will on a second pass.
    const codeCandidates: Span[] = [];
    const bareSsns: Span[] = [];
    for (const { chunks } of groups) {
      if (chunks.length !== 1) continue;
      const { start, end } = chunks[0]!;
      const length = end - start;
      if (on.securityCode && (length === 3 || length === 4)) codeCandidates.push({ start, end });
      else if (on.ssn && length === 9 && ssnValid(text.slice(start, end))) bareSsns.push({ start, end });
    }
    const codes = freeOf(expiries, codeCandidates);
    const found: Found[] = [];
    if (expiries.length || codes.length || bareSsns.length) {
      const units = mergeOverlaps([...taken, ...expiries, ...codes, ...bareSsns].sort((a, b) => a.start - b.start));
      const scale = new UnitScale(units);
      const lower = keywordText(text);
      const keywords = (words: KeywordSet): Span[] => freeOf(units, keywordSpans(text, lower, words));
      if (expiries.length) {
        const words = keywords(EXPIRY_WORDS);
        const cardAnchors = mergeOverlaps([...cards, ...cardTokens].sort((a, b) => a.start - b.start));
        for (const e of expiries) {
          if (nearAnchor(e, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD) || nearAnchor(e, cardAnchors, scale, AFTER_CARD, -1)) {
            found.push({ start: e.start, end: e.end, kind: 'expiry', replacement: '[expiry]' });
          }
        }
      }
      if (codes.length) {
        const words = keywords(SECURITY_CODE_WORDS);
        for (const c of codes) {
          if (nearAnchor(c, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD)) found.push({ start: c.start, end: c.end, kind: 'securityCode', replacement: '[security code]' });
        }
      }
      if (bareSsns.length) {
        const words = keywords(SSN_WORDS);
        for (const c of bareSsns) if (nearAnchor(c, words, scale, AFTER_KEYWORD, BEFORE_KEYWORD)) found.push({ start: c.start, end: c.end, kind: 'ssn', replacement: '[SSN]' });
      }
      taken = addWithoutOverlap(taken, found);
    }

    // Build the result from the replaced spans (tokens are kept as they were).
    let out = '';
    let at = 0;
    const tally = new Map<RedactionKind, number>();
    const matchedLabels = new Set<string>();
    const kept = new Set<Found>(tokens);
    for (const span of taken) {
      if (kept.has(span)) continue;
      out += text.slice(at, span.start) + span.replacement;
      at = span.end;
      tally.set(span.kind, (tally.get(span.kind) ?? 0) + 1);
      if (span.kind === 'org') matchedLabels.add(span.replacement.slice(1, -1));
    }
    if (at === 0) return { text, counts: {}, labels: [] };
    out += text.slice(at);
    return { text: out, counts: Object.fromEntries(tally) as RedactionResult['counts'], labels: [...matchedLabels] };
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
