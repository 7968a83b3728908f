import { type InteractionDetail, type InteractionSummary, type TimelineEvent, type TimelineEventType } from '../../../shared';
import { formatDuration } from '../../app/format';

/** Adds an older page below the rows we have, skipping any row already listed (pages may overlap). */
export function appendPage(existing: readonly InteractionSummary[], page: readonly InteractionSummary[]): InteractionSummary[] {
  const seen = new Set(existing.map((i) => i.id));
  return [...existing, ...page.filter((i) => !seen.has(i.id))];
}

export const TIMELINE_LABELS: Record<TimelineEventType, string> = {
  queued: 'Entered the queue',
  offered: 'Offered to an agent',
  declined: 'Offer declined',
  offer_timeout: 'Offer timed out',
  offer_withdrawn: 'Offer withdrawn',
  answered: 'Answered',
  held: 'Put on hold',
  resumed: 'Taken off hold',
  muted: 'Agent muted',
  unmuted: 'Agent unmuted',
  transferred: 'Transferred',
  moved: 'Moved by a supervisor',
  consult_started: 'Consult started',
  consult_answered: 'Consult answered',
  consult_cancelled: 'Consult cancelled',
  ended: 'Ended',
  abandoned: 'Customer left before an answer',
  wrapup_submitted: 'Wrap-up submitted',
  wrapup_timeout: 'Wrap-up timed out',
  message_left: 'Message left',
};

export interface TimelineRow {
  key: string;
  label: string;
  at: string;
  /** "+1m 05s" from the interaction's creation. */
  offset: string | null;
  actor: string | null;
  /** Time until the next event (how long this state lasted), for the last row null. */
  lasted: string | null;
  detail: string | null;
}

/** Readable one-liner of an event's details: "to: Billing", "reason: timeout". Ids and timestamps are noise here. */
function describeDetails(details: Record<string, unknown>): string | null {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value === null || value === undefined || typeof value === 'object') continue;
    if (/(Id|At)$/.test(key)) continue;
    parts.push(`${key}: ${String(value)}`);
  }
  return parts.length ? parts.join(', ') : null;
}

export function timelineRows(createdAt: string, timeline: readonly TimelineEvent[]): TimelineRow[] {
  const start = Date.parse(createdAt);
  return timeline.map((event, index) => {
    const at = Date.parse(event.at);
    const next = timeline[index + 1];
    const nextAt = next ? Date.parse(next.at) : Number.NaN;
    return {
      key: `${index}-${event.type}`,
      label: TIMELINE_LABELS[event.type] ?? event.type,
      at: event.at,
      offset: Number.isNaN(start) || Number.isNaN(at) ? null : `+${formatDuration(at - start)}`,
      actor: event.actor,
      lasted: Number.isNaN(nextAt) || Number.isNaN(at) ? null : formatDuration(nextAt - at),
      detail: describeDetails(event.details),
    };
  });
}

export interface DurationRow {
  label: string;
  value: string;
}

/** Wait, talk, hold and total, as the server measured them; "—" where a phase never happened. */
export function durationRows(detail: Pick<InteractionDetail, 'durations' | 'kind'>): DurationRow[] {
  const show = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
  const rows: DurationRow[] = [{ label: 'Wait', value: show(detail.durations.waitMs) }];
  rows.push({ label: detail.kind === 'call' ? 'Talk' : 'Handling', value: show(detail.durations.talkMs) });
  if (detail.kind === 'call') rows.push({ label: 'Hold', value: show(detail.durations.holdMs) });
  rows.push({ label: 'Total', value: show(detail.durations.totalMs) });
  return rows;
}
