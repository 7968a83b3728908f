import { randomUUID } from 'node:crypto';
import type { MediaCloseReason } from '../../../shared/api/ws-media';
import type { MediaService } from '../media/media-service';
import type { MonitorMedia } from './media-port';

export const MONITOR_ROOM_PREFIX = 'monitor:';

/**
 * Monitoring on the SFU (server/modules/media): one audio room per monitored call, named
 * `monitor:<interactionId>:<random>` (a listener's voice: `monitor:<interactionId>:voice-<random>`), opened by the monitoring service (never by a client naming
 * it). The room asks the service's callbacks at every join, transport, produce and consume.
 */
export function sfuMonitorMedia(media: MediaService, onRefused?: (roomId: string, user: { id: string; username: string }, messageType: string) => Promise<void>): MonitorMedia {
  media.registerOpener(MONITOR_ROOM_PREFIX, {
    // A monitoring room exists only while the service keeps it; a client cannot open one.
    open: async () => null,
    refused: async (roomId, user, messageType) => onRefused?.(roomId, user, messageType),
  });
  return {
    unavailable: () => media.unavailable(),
    async openRoom(options) {
      const id = `${MONITOR_ROOM_PREFIX}${options.interactionId}:${options.purpose === 'voice' ? 'voice-' : ''}${randomUUID().slice(0, 8)}`;
      let closing = false;
      const room = await media.openRoom(id, {
        kinds: ['audio'],
        mayProduce: (userId) => options.mayProduce(userId),
        mayConsume: (userId) => options.mayConsume(userId),
        onClosed: (reason: MediaCloseReason) => {
          if (!closing) options.onClosed(reason);
        },
      });
      return {
        id,
        setPaused: (paused) => room.setPaused(paused),
        async dropConsumer(userId) {
          room.dropUser(userId, 'revoked');
        },
        async close() {
          closing = true;
          room.close('ended');
        },
      };
    },
  };
}
