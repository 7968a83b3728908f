import { type AgentActivity, type AgentBoardRow, emptyOfferOutcomeCounts, type OfferOutcomeCounts, type QueueBoardRow, SENSITIVE_CATEGORY_LABELS } from '../../../shared';
import { KIND_LABELS } from '../offers/offer-logic';

export const ACTIVITY_LABELS: Record<AgentActivity, string> = {
  offline: 'Offline',
  idle: 'Idle',
  offered: 'Being offered',
  chat: 'In chat',
  call: 'On a call',
  consult: 'In a consult',
  wrapup: 'Wrap-up',
};

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortQueues(queues: readonly QueueBoardRow[]): QueueBoardRow[] {
  return [...queues].sort((a, b) => byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.queueId, b.queueId));
}

/** Signed-in agents first (working before idle), then by username, so the busy floor is on top. */
const ACTIVITY_ORDER: Record<AgentActivity, number> = { call: 0, consult: 0, chat: 0, wrapup: 1, offered: 2, idle: 3, offline: 4 };
export function sortBoardAgents(agents: readonly AgentBoardRow[]): AgentBoardRow[] {
  return [...agents].sort((a, b) => ACTIVITY_ORDER[a.activity] - ACTIVITY_ORDER[b.activity] || byText(a.username, b.username));
}

/** How long the longest-waiting customer of a queue has waited, or null when nobody waits. */
export function longestWaitMs(row: Pick<QueueBoardRow, 'waiting' | 'oldestWaitingSince'>, now: number): number | null {
  if (row.waiting === 0 || !row.oldestWaitingSince) return null;
  const since = Date.parse(row.oldestWaitingSince);
  return Number.isNaN(since) ? null : Math.max(0, now - since);
}

export type WaitLevel = 'none' | 'ok' | 'warn' | 'alert';

/** Colour for a waiting time: a minute is a warning, three minutes an alert. */
export function waitLevel(ms: number | null, warnMs = 60_000, alertMs = 180_000): WaitLevel {
  if (ms === null) return 'none';
  if (ms >= alertMs) return 'alert';
  if (ms >= warnMs) return 'warn';
  return 'ok';
}

export interface BoardTotals {
  waiting: number;
  longestWaitMs: number | null;
  agentsSignedIn: number;
  agentsWorking: number;
  agentsIdle: number;
}

export function boardTotals(queues: readonly QueueBoardRow[], agents: readonly AgentBoardRow[], now: number): BoardTotals {
  let waiting = 0;
  let longest: number | null = null;
  for (const q of queues) {
    waiting += q.waiting;
    const wait = longestWaitMs(q, now);
    if (wait !== null && (longest === null || wait > longest)) longest = wait;
  }
  let signedIn = 0;
  let working = 0;
  let idle = 0;
  for (const a of agents) {
    if (a.presence === 'offline') continue;
    signedIn += 1;
    if (a.activity === 'idle') idle += 1;
    else if (a.activity !== 'offline') working += 1;
  }
  return { waiting, longestWaitMs: longest, agentsSignedIn: signedIn, agentsWorking: working, agentsIdle: idle };
}

/**
 * "Chat (active), Call (wrapup)" for an agent's open interactions, or null when there are none. A
 * marked one says "sensitive: health", or just "sensitive" to a viewer the server withheld the category from.
 */
export function describeInteractions(row: Pick<AgentBoardRow, 'interactions'>): string | null {
  if (row.interactions.length === 0) return null;
  return row.interactions
    .map((i) => {
      const mark = i.sensitive ? (i.sensitive.category ? `, sensitive: ${SENSITIVE_CATEGORY_LABELS[i.sensitive.category]}` : ', sensitive') : '';
      return `${KIND_LABELS[i.kind]} (${i.status}${mark})`;
    })
    .join(', ');
}

/**
 * Today's (UTC) offers that ended without being accepted, in words: "2 declined · 1 timed out ·
 * 0 taken by another · 0 withdrawn", plus "· 1 while unavailable" when an agent went away with one pending.
 */
export function offerOutcomesText(counts: OfferOutcomeCounts | undefined): string {
  const c = counts ?? emptyOfferOutcomeCounts();
  const parts = [`${c.declined} declined`, `${c.timedOut} timed out`, `${c.takenByAnother} taken by another`, `${c.withdrawn} withdrawn`];
  if (c.unavailable > 0) parts.push(`${c.unavailable} while unavailable`);
  return parts.join(' · ');
}
