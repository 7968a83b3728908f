import type { ShareClientMessages } from '../../../shared/api/ws-shares';
import type { User } from '../../../shared/domain/roles';
import type { HandlerContext, HandlerMap } from '../../kernel/ws-handlers';
import { DomainError } from '../../kernel/errors';
import { endpointOf } from './endpoint';
import type { ShareRegistry } from './share-registry';

type ShareMessageType = (typeof ShareClientMessages)[number]['shape']['type']['value'];

/** Staff only: customers never share or watch screens. */
const STAFF = ['agent', 'supervisor', 'admin'] as const;

function staffUser(ctx: HandlerContext): User {
  if (!ctx.principal.user) throw new DomainError('forbidden', 'Screen sharing is for signed-in staff.');
  return ctx.principal.user;
}

export function shareHandlers(shares: ShareRegistry): HandlerMap<ShareMessageType> {
  return {
    'share.start': {
      roles: STAFF,
      async handle(m, ctx) {
        const { source, region, masks, viewers } = m;
        await shares.start(staffUser(ctx), endpointOf(ctx.connection), { source, region, masks, viewers }, m.id ?? m.type);
      },
    },
    'share.update': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.update(staffUser(ctx), endpointOf(ctx.connection), m.shareId, { region: m.region, masks: m.masks, blanked: m.blanked }, m.id ?? m.type);
      },
    },
    'share.viewers': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.setViewers(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.viewers, m.id ?? m.type);
      },
    },
    'share.revoke': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.revoke(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.userId, m.id ?? m.type);
      },
    },
    'share.stop': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.stop(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.id ?? m.type);
      },
    },
    'share.resume': {
      roles: STAFF,
      handle(m, ctx) {
        shares.resume(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.id ?? m.type);
      },
    },
    'share.join': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.join(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.id ?? m.type);
      },
    },
    'share.leave': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.leave(staffUser(ctx), endpointOf(ctx.connection), m.shareId);
      },
    },
    'share.signal': {
      roles: STAFF,
      async handle(m, ctx) {
        await shares.signal(staffUser(ctx), endpointOf(ctx.connection), m.shareId, m.to, m.signal);
      },
    },
    'share.candidates': {
      roles: STAFF,
      async handle(m, ctx) {
        const users = await shares.candidates(staffUser(ctx));
        ctx.connection.send({ type: 'share.candidates', users, ref: m.id ?? m.type });
      },
    },
  };
}
