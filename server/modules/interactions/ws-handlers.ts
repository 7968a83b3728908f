import type { ConsultClientMessages } from '../../../shared/api/ws-consult';
import type { InteractionClientMessages } from '../../../shared/api/ws-interactions';
import type { HandlerMap } from '../../kernel/ws-handlers';
import type { Calls } from './calls';
import type { Chat } from './chat';
import type { Consults } from './consult';
import type { ChildProtection } from './child-protection';
import type { Ending } from './ending';
import type { Offers } from './offers';
import type { Transfers } from './transfer';
import type { Wrapups } from './wrapup';


type InteractionMessageType = (typeof InteractionClientMessages)[number]['shape']['type']['value'] | (typeof ConsultClientMessages)[number]['shape']['type']['value'];

const AGENT = ['agent'] as const;
const PARTIES = ['agent', 'customer'] as const;
const BOARD = ['supervisor', 'admin'] as const;

/**
 * Interaction messages and who may send them. The role check is the first gate; each feature then
 * checks that the sender is a party to that very interaction (its customer, or its assigned agent).
 * Features that store something start their change before any await, so a connection's messages
 * are applied in the order they arrived.
 */
export function interactionHandlers(features: { offers: Offers; chat: Chat; calls: Calls; ending: Ending; transfers: Transfers; consults: Consults; wrapups: Wrapups; childProtection: ChildProtection }): HandlerMap<InteractionMessageType> {
  const { offers, chat, calls, ending, transfers, consults, wrapups, childProtection } = features;
  return {
    'offer.accept': { roles: AGENT, handle: (m, { principal }) => offers.accept(principal, m.interactionId) },
    'offer.decline': { roles: AGENT, handle: (m, { principal }) => offers.decline(principal, m.interactionId) },
    'chat.send': { roles: PARTIES, handle: (m, { principal }) => chat.send(principal, m) },
    'chat.typing': { roles: PARTIES, handle: (m, { principal }) => chat.typing(principal, m.interactionId) },
    'chat.seen': { roles: PARTIES, handle: (m, { principal }) => chat.seen(principal, m.interactionId, m.upToSeq) },
    'call.signal': { roles: PARTIES, handle: (m, { principal }) => calls.signal(principal, m.interactionId, m.signal) },
    'call.hold': { roles: AGENT, handle: (m, { principal }) => calls.hold(principal, m.interactionId, m.held) },
    'call.mute': { roles: PARTIES, handle: (m, { principal }) => calls.mute(principal, m.interactionId, m.muted) },
    'interaction.end': { roles: PARTIES, handle: (m, { principal }) => ending.end(principal, m.interactionId) },
    'interaction.child_flag': { roles: AGENT, handle: (m, { principal }) => childProtection.flag(principal, m.interactionId) },
    'interaction.transfer': { roles: AGENT, handle: (m, { principal }) => transfers.transfer(principal, m.interactionId, m.to) },
    'interaction.move': { roles: BOARD, handle: (m, { principal }) => transfers.move(principal, m.interactionId, m.to) },
    'consult.start': { roles: AGENT, handle: (m, { principal }) => consults.start(principal, m.interactionId, m.toUserId) },
    'consult.accept': { roles: AGENT, handle: (m, { principal }) => consults.accept(principal, m.consultId) },
    'consult.cancel': { roles: AGENT, handle: (m, { principal }) => consults.cancel(principal, m.consultId) },
    'consult.complete': { roles: AGENT, handle: (m, { principal }) => consults.complete(principal, m.consultId) },
    'consult.signal': { roles: AGENT, handle: (m, { principal }) => consults.signal(principal, m.consultId, m.signal) },
    'wrapup.submit': { roles: AGENT, handle: (m, { principal }) => wrapups.submit(principal, m) },
  };
}
