import { type AgentBoardRow, type MonitorEndReason, type MonitorMode } from '../../../shared';
import type { ListenEntry, MonitorNotice } from './monitoring-types';

/**
 * "super1 is listening", "super1 and super2 are listening"; when a listener speaks, who and how
 * first ("super1 is whispering to you (the customer cannot hear)", "super1 has joined the call
 * (barge): the customer hears them too"), shown whatever the notice policy says; null when the
 * policy hides the listeners and nobody speaks, or nobody listens.
 */
export function noticeText(notice: Pick<MonitorNotice, 'interactionId' | 'listeners'> & Partial<Pick<MonitorNotice, 'voice'>>): string | null {
  const voice = notice.voice ?? null;
  const names = notice.listeners?.map((l) => l.username).filter((n) => n !== voice?.speaker.username) ?? [];
  const parts: string[] = [];
  if (voice) parts.push(voice.mode === 'whisper' ? `${voice.speaker.username} is whispering to you (the customer cannot hear)` : `${voice.speaker.username} has joined the call (barge): the customer hears them too`);
  if (names.length === 1) parts.push(`${names[0]} is listening`);
  if (names.length > 1) parts.push(`${names.slice(0, -1).join(', ')} and ${names.at(-1)} are listening`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The switch buttons' labels on the supervisor's board. */
export const MODE_LABELS: Record<MonitorMode, string> = { listen: 'Listen', whisper: 'Whisper', barge: 'Barge' };

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

/** Why a listener's monitoring ended, in words after "Listening to agent1's call ended: ". */
export const ENDED_WORDS: Record<MonitorEndReason, string> = {
  stopped: 'you stopped listening',
  call_ended: 'the call ended',
  transferred: 'the call was transferred',
  signed_out: 'you signed out',
  disconnected: 'this window lost its connection',
  policy: "the org's policy changed",
  media_failed: "the agent's app could not send the audio",
  media_closed: 'the media server closed the session',
  sensitive: 'the call was marked sensitive and you do not hold the sensitive permission',
};
