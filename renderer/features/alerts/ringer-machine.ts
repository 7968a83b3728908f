import { type InteractionKind } from '../../../shared';

/**
 * When the ringtone rings and the chat chime sounds, from the offers in the store alone: the ring
 * lasts exactly as long as a call offer waits for the agent, so an offer that leaves the store
 * (accepted, declined, timed out, taken by another agent, withdrawn) can never keep it ringing.
 * The agent's own click on Accept or Decline stops it at once, before the server answers.
 */

export interface RingerOffer {
  id: string;
  kind: InteractionKind;
  /** What the agent asked the server to do with it, if anything. */
  pending: 'accept' | 'decline' | null;
}

export interface RingerState {
  ringing: boolean;
  /** Ids of the offers present at the last step: a chat offer not among them is new. */
  seen: ReadonlySet<string>;
}

export interface RingerActions {
  ring: 'start' | 'stop' | null;
  /** Play the short chat chime once (a new chat offer, chime enabled, no ring already). */
  chime: boolean;
}

export const initialRinger: RingerState = { ringing: false, seen: new Set() };

export function stepRinger(state: RingerState, offers: readonly RingerOffer[], options: { chimeForChats: boolean }): { state: RingerState; actions: RingerActions } {
  const shouldRing = offers.some((o) => o.kind === 'call' && o.pending === null);
  const newChat = offers.some((o) => o.kind === 'chat' && o.pending === null && !state.seen.has(o.id));
  const ring = shouldRing === state.ringing ? null : shouldRing ? 'start' : 'stop';
  return {
    state: { ringing: shouldRing, seen: new Set(offers.map((o) => o.id)) },
    actions: { ring, chime: options.chimeForChats && newChat && !shouldRing },
  };
}
