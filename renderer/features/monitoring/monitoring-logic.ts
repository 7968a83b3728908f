import { type AgentBoardRow } from '../../../shared';
import { type ListenEntry, type MonitorNotice } from './monitoring-slice';

/** "super1 is listening", "super1 and super2 are listening"; null when the policy hides it or nobody listens. */
export function noticeText(notice: Pick<MonitorNotice, 'interactionId' | 'listeners'>): string | null {
  const names = notice.listeners?.map((l) => l.username) ?? [];
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is listening`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are listening`;
}

/**
 * The agent's connected calls this viewer may listen to: not a sensitive one whose category the
 * server withheld (the viewer lacks the `sensitive` permission; the server would refuse anyway).
 */
export function monitorableCalls(row: Pick<AgentBoardRow, 'interactions'>): string[] {
  return row.interactions.filter((i) => i.kind === 'call' && i.status === 'active' && i.sensitive?.category !== null).map((i) => i.id);
}

export const LISTEN_LABELS: Record<ListenEntry['status'], string> = {
  starting: 'Starting…',
  connecting: "Waiting for the agent's audio…",
  live: 'Listening',
  paused: 'Paused by agent',
  ended: 'Ended',
};
