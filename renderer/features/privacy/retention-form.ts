import { MIN_AUDIT_DAYS, type RetentionPolicy } from '../../../shared/api/retention';

/** The retention form as typed: days per class as text, '' keeps that class for good. */
export type RetentionTexts = Record<keyof RetentionPolicy, string>;

export const RETENTION_FIELDS: { key: keyof RetentionPolicy; testId: string; label: string; hint: string }[] = [
  { key: 'transcriptsDays', testId: 'retention-days-transcripts', label: 'Chat transcripts and notes', hint: 'Messages, agents’ notes and wrap-up notes.' },
  { key: 'sensitiveTranscriptsDays', testId: 'retention-days-sensitive-transcripts', label: 'Transcripts marked sensitive', hint: 'Usually shorter than the others.' },
  { key: 'recordingsDays', testId: 'retention-days-recordings', label: 'Call recordings', hint: 'The audio files, their pauses and parts.' },
  { key: 'contactsDays', testId: 'retention-days-contacts', label: 'Customer contact details', hint: 'The customer’s name, e-mail and phone on interactions.' },
  { key: 'interactionsDays', testId: 'retention-days-interactions', label: 'Closed interactions’ other details', hint: 'Timeline, screen shares and monitoring sessions.' },
  { key: 'auditDays', testId: 'retention-days-audit', label: 'Audit log', hint: `At least ${MIN_AUDIT_DAYS} days.` },
];

export function toTexts(policy: RetentionPolicy): RetentionTexts {
  const texts = {} as RetentionTexts;
  for (const { key } of RETENTION_FIELDS) texts[key] = policy[key] === null ? '' : String(policy[key]);
  return texts;
}

/** Why a field's text is not a valid number of days, or null (empty keeps the data). */
export function daysProblem(key: keyof RetentionPolicy, text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  const min = key === 'auditDays' ? MIN_AUDIT_DAYS : 1;
  if (!/^\d+$/.test(t) || !Number.isInteger(n)) return 'Enter a whole number of days, or leave it empty to keep this data.';
  if (n < min || n > 36500) return `Enter between ${min} and 36500 days, or leave it empty to keep this data.`;
  return null;
}

/** The policy the texts stand for, or the first problem (field label and what to type). */
export function toPolicy(texts: RetentionTexts): { ok: true; policy: RetentionPolicy } | { ok: false; message: string } {
  const policy = {} as RetentionPolicy;
  for (const { key, label } of RETENTION_FIELDS) {
    const problem = daysProblem(key, texts[key]);
    if (problem) return { ok: false, message: `${label}: ${problem}` };
    policy[key] = texts[key].trim() === '' ? null : Number(texts[key].trim());
  }
  return { ok: true, policy };
}
