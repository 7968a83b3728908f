import type { ReportRow } from '../../../shared';

const DAY_MS = 86_400_000;
/** A longer range is fetched in parts of this many days, so the view can show its progress. */
export const PART_DAYS = 7;

/** The form's dates (YYYY-MM-DD, UTC days, both included) as the API's [from, to) instants, or why not. */
export function rangeOf(fromDay: string, toDay: string): { from: string; to: string } | { error: string } {
  const from = Date.parse(`${fromDay}T00:00:00.000Z`);
  const to = Date.parse(`${toDay}T00:00:00.000Z`);
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'Pick both dates.' };
  if (to < from) return { error: 'The end date is before the start date.' };
  return { from: new Date(from).toISOString(), to: new Date(to + DAY_MS).toISOString() };
}

/**
 * The range cut into parts of PART_DAYS whole UTC days: every bucket (hour or day) falls in one
 * part, so the parts' rows together are the whole range's rows.
 */
export function partsOf(range: { from: string; to: string }): { from: string; to: string }[] {
  const parts: { from: string; to: string }[] = [];
  const end = Date.parse(range.to);
  for (let t = Date.parse(range.from); t < end; t += PART_DAYS * DAY_MS) {
    parts.push({ from: new Date(t).toISOString(), to: new Date(Math.min(end, t + PART_DAYS * DAY_MS)).toISOString() });
  }
  return parts;
}

/** The YYYY-MM-DD of a day `daysAgo` before `now` (UTC), for the form's defaults. */
export function dayString(now: number, daysAgo = 0): string {
  return new Date(now - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

export const BY_OPTIONS = [
  { value: 'queue,day', label: 'Queue, per day' },
  { value: 'queue,hour', label: 'Queue, per hour' },
  { value: 'agent,day', label: 'Agent (my team), per day' },
  { value: 'agent,hour', label: 'Agent (my team), per hour' },
] as const;

/** Seconds with one decimal, or a dash when nothing was measured. */
export function seconds(ms: number | null): string {
  return ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`;
}

/** "Resolved 2, Spam 1" */
export function dispositionsText(row: ReportRow): string {
  return Object.entries(row.dispositions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`)
    .join(', ');
}
