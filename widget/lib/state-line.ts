import type { CustomerStateFrame } from './types';

/** Connection phase of the widget's socket (see connection.ts); `idle` before anything started. */
export type Phase = 'idle' | 'starting' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** "less than a minute", "about 1 min", "about 12 min". */
export function formatWait(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return 'less than a minute';
  return `about ${Math.round(seconds / 60)} min`;
}

/** The plain-words line for one customer.state frame. */
export function customerStateText(frame: Pick<CustomerStateFrame, 'state' | 'position' | 'estimatedWaitSeconds' | 'agentName'>): string {
  switch (frame.state) {
    case 'waiting': {
      const parts: string[] = [];
      if (frame.position !== undefined && frame.position >= 1) {
        parts.push(frame.position === 1 ? 'you are next in line' : `you are number ${frame.position} in line`);
      }
      if (frame.estimatedWaitSeconds !== undefined && frame.estimatedWaitSeconds >= 0) parts.push(formatWait(frame.estimatedWaitSeconds));
      return parts.length > 0 ? `Waiting — ${parts.join(', ')}` : 'Waiting for an agent…';
    }
    case 'no_agents':
      return 'No agents are online right now';
    case 'ringing':
      return 'Ringing…';
    case 'connected':
      return frame.agentName ? `Connected to ${frame.agentName}` : 'Connected to an agent';
    case 'on_hold':
      return 'On hold';
    case 'ended':
      return 'Ended';
  }
}

export interface StateLineInput {
  phase: Phase;
  state: Pick<CustomerStateFrame, 'state' | 'position' | 'estimatedWaitSeconds' | 'agentName'> | null;
  /** The customer asked to end and the server has not confirmed yet. */
  ending?: boolean;
  /** Set when the conversation can no longer continue (expired token, protocol mismatch…). */
  fatal?: string | null;
}

/** The widget's state line: always says where things are. */
export function stateLineText(input: StateLineInput): string {
  if (input.state?.state === 'ended') return 'Ended';
  if (input.fatal) return input.fatal;
  if (input.ending) return 'Ending…';
  switch (input.phase) {
    case 'idle':
      return 'Start a chat or a call — we are here to help';
    case 'starting':
      return 'Starting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'closed':
      return 'Ended';
    case 'connecting':
      return input.state ? customerStateText(input.state) : 'Connecting…';
    case 'open':
      return input.state ? customerStateText(input.state) : 'Connecting…';
  }
}

export interface StartLineInput {
  queuesStatus: 'loading' | 'ready' | 'error';
  /** The queue picked in the form (or the only one). */
  queue: { membersSignedIn: number } | null;
  queueCount: number;
  starting: 'chat' | 'call' | null;
  /** A call is waiting for the microphone permission. */
  askingMic: boolean;
  leaveSent: boolean;
}

/** The state line before a conversation exists. */
export function startLineText(input: StartLineInput): string {
  if (input.leaveSent) return 'Message sent';
  if (input.askingMic) return 'Allow the microphone to start the call…';
  if (input.starting) return 'Starting…';
  if (input.queuesStatus === 'loading') return 'Loading…';
  if (input.queuesStatus === 'error') return 'Cannot reach the server';
  if (input.queueCount === 0) return 'Nobody is taking conversations here yet';
  if (input.queue && input.queue.membersSignedIn === 0) return 'No agents are online right now';
  return 'Start a chat or a call — we are here to help';
}
