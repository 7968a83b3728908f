import type { MediaClientMessages } from '../../../shared/api/ws-media';
import type { User } from '../../../shared/domain/roles';
import type { HandlerContext, HandlerMap } from '../../kernel/ws-handlers';
import { DomainError } from '../../kernel/errors';
import { endpointOf } from '../shares/endpoint';
import type { Room } from './media-room';
import type { MediaService } from './media-service';

type MediaMessageType = (typeof MediaClientMessages)[number]['shape']['type']['value'];

/** Staff only: customers never use the SFU (their call audio is peer to peer). */
const STAFF = ['agent', 'supervisor', 'admin'] as const;

function staffUser(ctx: HandlerContext): User {
  if (!ctx.principal.user) throw new DomainError('forbidden', 'Media rooms are for signed-in staff.');
  return ctx.principal.user;
}

/** Runs one request in its room; a refusal is reported to the room's module (it audits) before the error frame. */
async function inRoom(media: MediaService, ctx: HandlerContext, roomId: string, messageType: string, fn: (room: Room, user: User) => Promise<void> | void): Promise<void> {
  const user = staffUser(ctx);
  try {
    const room = await media.resolve(roomId, user.id, endpointOf(ctx.connection));
    await fn(room, user);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'forbidden') await media.refused(roomId, user, messageType).catch(() => undefined);
    throw err;
  }
}

export function mediaHandlers(media: MediaService): HandlerMap<MediaMessageType> {
  return {
    'media.join': {
      roles: STAFF,
      handle: (m, ctx) => inRoom(media, ctx, m.roomId, m.type, (room, user) => room.join(user.id, endpointOf(ctx.connection), m.id ?? m.type)),
    },
    'media.transport.create': {
      roles: STAFF,
      handle: (m, ctx) => inRoom(media, ctx, m.roomId, m.type, (room, user) => room.createTransport(user.id, endpointOf(ctx.connection), m.direction, m.id ?? m.type)),
    },
    'media.transport.connect': {
      roles: STAFF,
      handle: (m, ctx) =>
        inRoom(media, ctx, m.roomId, m.type, (room, user) => room.connectTransport(user.id, endpointOf(ctx.connection), m.transportId, m.dtlsParameters, m.id ?? m.type)),
    },
    'media.produce': {
      roles: STAFF,
      handle: (m, ctx) =>
        inRoom(media, ctx, m.roomId, m.type, (room, user) => room.produce(user.id, endpointOf(ctx.connection), m.transportId, m.kind, m.rtpParameters, m.id ?? m.type)),
    },
    'media.consume': {
      roles: STAFF,
      handle: (m, ctx) =>
        inRoom(media, ctx, m.roomId, m.type, (room, user) => room.consume(user.id, endpointOf(ctx.connection), m.transportId, m.rtpCapabilities, m.id ?? m.type)),
    },
    'media.consumer.resume': {
      roles: STAFF,
      handle: (m, ctx) => inRoom(media, ctx, m.roomId, m.type, (room, user) => room.resumeConsumer(user.id, endpointOf(ctx.connection), m.consumerId)),
    },
    'media.leave': {
      roles: STAFF,
      handle(m, ctx) {
        media.room(m.roomId)?.leave(endpointOf(ctx.connection));
      },
    },
  };
}
