import type { ChatMessage, InteractionDetail, InteractionSummary, TimelineEvent, Wrapup } from '../../../shared/domain/interactions';
import type { InteractionRow } from './repo';

const ms = (iso: string | null): number | null => (iso ? new Date(iso).getTime() : null);

/**
 * Durations from the stored times and the timeline: wait = answered − created; hold = the sum of
 * held→resumed spans (a hold still open counts until the end, or now); talk = ended − answered −
 * hold; total = ended − created. Null while the moment that ends a span has not come.
 */
export function durations(row: Pick<InteractionRow, 'created_at' | 'answered_at' | 'ended_at'>, timeline: TimelineEvent[], now: Date): InteractionDetail['durations'] {
  const created = ms(row.created_at)!;
  const answered = ms(row.answered_at);
  const ended = ms(row.ended_at);
  let holdMs = 0;
  let heldSince: number | null = null;
  for (const event of timeline) {
    const at = new Date(event.at).getTime();
    if (event.type === 'held' && heldSince === null) heldSince = at;
    else if ((event.type === 'resumed' || event.type === 'ended' || event.type === 'transferred') && heldSince !== null) {
      holdMs += Math.max(0, at - heldSince);
      heldSince = null;
    }
  }
  if (heldSince !== null) holdMs += Math.max(0, (ended ?? now.getTime()) - heldSince);
  return {
    waitMs: answered === null ? null : Math.max(0, answered - created),
    talkMs: answered === null || ended === null ? null : Math.max(0, ended - answered - holdMs),
    holdMs,
    totalMs: ended === null ? null : Math.max(0, ended - created),
  };
}

export function wrapupOf(row: InteractionRow): Wrapup | null {
  if (!row.wrapup_at) return null;
  return {
    disposition: row.disposition ?? '',
    notes: row.notes ?? '',
    submittedAt: row.wrapup_at,
    by: row.wrapup_by ?? 'system',
    timedOut: Number(row.wrapup_timed_out) === 1,
  };
}

export function buildDetail(summary: InteractionSummary, row: InteractionRow, messages: ChatMessage[], timeline: TimelineEvent[], now: Date): InteractionDetail {
  return { ...summary, messages, timeline, wrapup: wrapupOf(row), durations: durations(row, timeline, now) };
}
