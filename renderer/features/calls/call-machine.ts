/**
 * The agent's view of one call as a small state machine, free of WebRTC so it can be tested in Node.
 *
 *   starting ──media-ready──▶ connecting ──connected──▶ connected
 *       │                         │                         │
 *       └────────── failed / ended (terminal) ◀─────────────┘
 *
 * Mute and hold are flags beside the phase; hold only means something while connected. So is
 * `reconnecting`: the media path broke mid-call and an ICE restart is bringing it back; the call,
 * its recording and secure pause go on meanwhile.
 */

export type CallPhase = 'starting' | 'connecting' | 'connected' | 'ended' | 'failed';

export interface CallMachineState {
  phase: CallPhase;
  /** The agent's outbound audio is off. */
  muted: boolean;
  /** Both directions are silent and the customer is told they are on hold. */
  held: boolean;
  /** Epoch ms media first flowed, for the talk timer. */
  connectedAt: number | null;
  /** The media path broke; ICE is being restarted ("Reconnecting audio…"). */
  reconnecting: boolean;
  endedAt: number | null;
  error: string | null;
}

export type CallEvent =
  /** Microphone granted and peer created; waiting for the customer's offer/ICE. */
  | { type: 'media-ready' }
  | { type: 'connected'; at: number }
  /** The media connection dropped while the call goes on; waiting for the customer's new offer. */
  | { type: 'media-lost' }
  /** The media path broke (ICE disconnected/failed) or came back on the same connection. */
  | { type: 'media-reconnecting'; reconnecting: boolean }
  | { type: 'mute'; muted: boolean }
  | { type: 'hold'; held: boolean }
  /** Hung up by either side, or closed by the server. */
  | { type: 'ended'; at: number }
  | { type: 'failed'; message: string; at: number };

export const initialCallState: CallMachineState = {
  phase: 'starting',
  muted: false,
  held: false,
  connectedAt: null,
  reconnecting: false,
  endedAt: null,
  error: null,
};

export function isTerminal(phase: CallPhase): boolean {
  return phase === 'ended' || phase === 'failed';
}

export function callReducer(state: CallMachineState, event: CallEvent): CallMachineState {
  if (isTerminal(state.phase)) return state;
  switch (event.type) {
    case 'media-ready':
      return state.phase === 'starting' ? { ...state, phase: 'connecting' } : state;
    case 'connected':
      return state.phase === 'connected' ? state : { ...state, phase: 'connected', connectedAt: state.connectedAt ?? event.at };
    case 'media-lost':
      return state.phase === 'starting' ? state : { ...state, phase: 'connecting', reconnecting: false };
    case 'media-reconnecting':
      return state.reconnecting === event.reconnecting ? state : { ...state, reconnecting: event.reconnecting };
    case 'mute':
      return state.muted === event.muted ? state : { ...state, muted: event.muted };
    case 'hold':
      return state.held === event.held ? state : { ...state, held: event.held };
    case 'ended':
      return { ...state, phase: 'ended', held: false, reconnecting: false, endedAt: event.at };
    case 'failed':
      return { ...state, phase: 'failed', held: false, reconnecting: false, endedAt: event.at, error: event.message };
  }
}

export type CallTone = 'pending' | 'live' | 'held' | 'over';

/** The panel's one-line state: what is happening now, in plain words. */
export function callStateLine(state: CallMachineState): { label: string; tone: CallTone } {
  switch (state.phase) {
    case 'starting':
      return { label: 'Connecting… (starting microphone)', tone: 'pending' };
    case 'connecting':
      return { label: 'Connecting…', tone: 'pending' };
    case 'connected':
      if (state.reconnecting) return { label: 'Reconnecting audio…', tone: 'pending' };
      return state.held ? { label: 'On hold', tone: 'held' } : { label: state.muted ? 'Connected (muted)' : 'Connected', tone: 'live' };
    case 'ended':
      return { label: 'Call ended', tone: 'over' };
    case 'failed':
      return { label: `Call failed: ${state.error ?? 'unknown error'}`, tone: 'over' };
  }
}

/** Talk time so far, frozen once the call is over; null before media flowed. */
export function talkTimeMs(state: CallMachineState, now: number): number | null {
  if (state.connectedAt === null) return null;
  return Math.max(0, (state.endedAt ?? now) - state.connectedAt);
}

/** Outbound audio is on only when neither muted nor held. */
export function outboundEnabled(state: Pick<CallMachineState, 'muted' | 'held'>): boolean {
  return !state.muted && !state.held;
}
