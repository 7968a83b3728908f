import { type InteractionSummary } from '../../../shared';

const ENDED_STATUSES: ReadonlySet<InteractionSummary['status']> = new Set(['wrapup', 'closed', 'abandoned']);

/** The conversation itself is over (it may still owe a wrap-up). */
export function isEndedStatus(status: InteractionSummary['status']): boolean {
  return ENDED_STATUSES.has(status);
}

/** The interaction is no longer with this agent: transferred to someone else or back to a queue. */
export function movedAway(summary: InteractionSummary, myUserId: string | null): boolean {
  if (isEndedStatus(summary.status)) return false;
  return summary.status === 'queued' || summary.status === 'offered' || (summary.agentId !== null && summary.agentId !== myUserId);
}
