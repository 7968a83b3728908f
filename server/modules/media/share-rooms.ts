import type { MediaCloseReason } from '../../../shared/api/ws-media';
import type { ShareEndReason } from '../../../shared/api/ws-shares';
import type { ShareRegistry } from '../shares/share-registry';
import type { ShareMediaHooks } from '../shares/share-types';
import type { RoomPolicy } from './media-room';
import type { MediaService } from './media-service';

export const SHARE_ROOM_PREFIX = 'share:';
export const shareRoomId = (shareId: string): string => `${SHARE_ROOM_PREFIX}${shareId}`;

const CLOSE_REASON: Record<ShareEndReason, MediaCloseReason> = {
  stopped: 'ended',
  revoked: 'revoked',
  sharer_left: 'ended',
  signed_out: 'ended',
  left: 'left',
  replaced: 'replaced',
};

/**
 * Screen shares over the SFU: a share's room (`share:<shareId>`) opens when its sharer or a viewer
 * first names it. Only the share's connection produces (video), and only viewers on the list who
 * joined, from the connection they joined from, consume. The registry's hooks close a viewer's
 * consumers the moment they are revoked or leave, and the room when the share ends.
 */
export function bindShareRooms(media: MediaService): { hooks: ShareMediaHooks; attach(registry: ShareRegistry): void } {
  let registry: ShareRegistry | null = null;
  const hooks: ShareMediaHooks = {
    watcherGone(shareId, userId, reason, endpoint) {
      const room = media.room(shareRoomId(shareId));
      if (!room) return;
      if (endpoint) room.dropEndpoint(endpoint, CLOSE_REASON[reason]);
      else room.dropUser(userId, CLOSE_REASON[reason]);
    },
    shareEnded(shareId, reason) {
      media.closeRoom(shareRoomId(shareId), CLOSE_REASON[reason]);
    },
  };
  return {
    hooks,
    attach(shares) {
      registry = shares;
      const policyFor = (shareId: string): RoomPolicy => ({
        kinds: ['video'],
        mayProduce: (userId, endpoint) => {
          const share = registry?.sharerEndpoint(shareId);
          return share?.sharerId === userId && share.endpoint === endpoint;
        },
        mayConsume: (userId, endpoint) => registry?.watcherEndpoint(shareId, userId) === endpoint,
      });
      media.registerOpener(SHARE_ROOM_PREFIX, {
        async open(roomId, userId, endpoint) {
          const shareId = roomId.slice(SHARE_ROOM_PREFIX.length);
          const policy = policyFor(shareId);
          // Nobody opens a router for a share they may not send or watch.
          if (!policy.mayProduce(userId, endpoint) && !policy.mayConsume(userId, endpoint)) return null;
          return media.openRoom(roomId, policy);
        },
        async refused(roomId, user, messageType) {
          await registry?.mediaRefused(user, roomId.slice(SHARE_ROOM_PREFIX.length), messageType);
        },
      });
    },
  };
}
