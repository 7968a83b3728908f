import { type AppState, type LiveConnection } from '../../app/store-types';

type Live = <T>(fn: (payload: T) => void) => (payload: T) => void;

/** Hands each interaction frame from the live connection to the slice that owns it. */
export function routeInteractionFrames(c: LiveConnection, live: Live, get: () => AppState): void {
  c.on('offer', live((m) => get().applyOffer(m)));
  c.on('offer.withdrawn', live((m) => get().applyOfferWithdrawn(m)));
  c.on('interaction.opened', live((m) => get().applyInteractionOpened(m.interaction)));
  c.on('interaction.updated', live((m) => get().applyInteractionUpdated(m.interaction)));
  c.on('chat.message', live((m) => get().applyChatMessage(m)));
  c.on('chat.typing', live((m) => get().applyChatTyping(m)));
  c.on('chat.seen', live((m) => get().applyChatSeen(m)));
  c.on('sensitive.suggested', live((m) => get().applySensitiveSuggested(m)));
  c.on('call.signal', live((m) => get().applyCallSignal(m.interactionId, m.signal)));
  c.on('wrapup.required', live((m) => get().applyWrapupRequired(m)));
  c.on('wrapup.done', live((m) => get().applyWrapupDone(m)));
  c.on('board', live((m) => get().applyBoard(m)));
  c.on('consult.state', live((m) => get().applyConsultState(m.consult)));
  c.on('consult.signal', live((m) => get().applyConsultSignal(m.consultId, m.signal)));
}
