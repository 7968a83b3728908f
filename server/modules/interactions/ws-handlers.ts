import type { HandlerMap } from '../../ws/handlers';
import { WsRefusal } from '../../ws/handlers';
import type { InteractionClientMessages } from '../../../shared/api/ws-interactions';

type InteractionMessageType = (typeof InteractionClientMessages)[number]['shape']['type']['value'];

// Placeholder until the interactions module lands: every interaction message is refused clearly.
const notYet = {
  roles: ['agent', 'supervisor', 'admin', 'customer'] as const,
  handle(): never {
    throw new WsRefusal('not_found', 'Interactions are not available on this server yet.');
  },
};

export const interactionHandlers: HandlerMap<InteractionMessageType> = {
  'offer.accept': notYet,
  'offer.decline': notYet,
  'chat.send': notYet,
  'chat.typing': notYet,
  'chat.seen': notYet,
  'call.signal': notYet,
  'call.hold': notYet,
  'call.mute': notYet,
  'interaction.end': notYet,
  'interaction.transfer': notYet,
  'wrapup.submit': notYet,
};
