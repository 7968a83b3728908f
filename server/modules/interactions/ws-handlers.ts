import type { InteractionClientMessages } from '../../../shared/api/ws-interactions';
import type { HandlerMap } from '../../ws/handlers';

type InteractionMessageType = (typeof InteractionClientMessages)[number]['shape']['type']['value'];

const AGENT = ['agent'] as const;
const PARTIES = ['agent', 'customer'] as const;

/**
 * Interaction messages and who may send them. The role check is the first gate; each feature then
 * checks that the sender is a party to that very interaction (its customer, or its assigned agent).
 * Features that store something start their change before any await, so a connection's messages
 * are applied in the order they arrived.
 */
export const interactionHandlers: HandlerMap<InteractionMessageType> = {
  'offer.accept': { roles: AGENT, handle: (m, { principal, services }) => services.interactions.core.accept(principal, m.interactionId) },
  'offer.decline': { roles: AGENT, handle: (m, { principal, services }) => services.interactions.core.decline(principal, m.interactionId) },
  'chat.send': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.chat.send(principal, m) },
  'chat.typing': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.chat.typing(principal, m.interactionId) },
  'chat.seen': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.chat.seen(principal, m.interactionId, m.upToSeq) },
  'call.signal': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.calls.signal(principal, m.interactionId, m.signal) },
  'call.hold': { roles: AGENT, handle: (m, { principal, services }) => services.interactions.calls.hold(principal, m.interactionId, m.held) },
  'call.mute': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.calls.mute(principal, m.interactionId, m.muted) },
  'interaction.end': { roles: PARTIES, handle: (m, { principal, services }) => services.interactions.ending.end(principal, m.interactionId) },
  'interaction.transfer': { roles: AGENT, handle: (m, { principal, services }) => services.interactions.transfers.transfer(principal, m.interactionId, m.to) },
  'wrapup.submit': { roles: AGENT, handle: (m, { principal, services }) => services.interactions.wrapups.submit(principal, m) },
};
