import { interactionHandlers } from '../modules/interactions/ws-handlers';
import { presenceHandlers } from '../modules/presence/ws-handlers';
import { recordingHandlers } from '../modules/recordings/ws-handlers';
import { monitoringHandlers } from '../modules/monitoring/ws-handlers';
import { shareHandlers } from '../modules/shares/ws-handlers';
import { mediaHandlers } from '../modules/media/ws-handlers';
import { coreHandlers } from './core-handlers';
import type { AuthedMessage, HandlerMap } from './handlers';

/**
 * Every message type a connected client may send, each with the roles allowed to send it. The type
 * makes a message added to shared/api/ws.ts without a handler a compile error.
 */
export const allHandlers: HandlerMap<AuthedMessage['type']> = {
  ...coreHandlers,
  ...presenceHandlers,
  ...interactionHandlers,
  ...shareHandlers,
  ...mediaHandlers,
  ...recordingHandlers,
  ...monitoringHandlers,
};
