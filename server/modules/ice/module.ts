import type { FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/api/endpoints';
import type { IceServersResponse } from '../../../shared/api/http';
import type { IceServer } from '../../../shared/domain/interactions';
import type { ServerConfig } from '../../config';
import { DomainError } from '../../kernel/errors';
import type { ServerModule } from '../../kernel/module';
import type { Principal } from '../../kernel/principal';
import { ALL_ROLES, declareRoute, type RouteContext } from '../../kernel/routes';
import { turnCredential } from './turn-credentials';

export interface IceDeps {
  config: Pick<ServerConfig, 'iceServers' | 'turnUrls' | 'turnSecret' | 'turnTtlSeconds'>;
  /** A customer's `vc_` token → its principal, or null when unknown or expired. */
  resolveCustomer(token: string): Promise<Principal | null>;
  now: () => Date;
}

/**
 * GET /api/ice-servers: the servers calls and shares use. TURN credentials are issued per caller
 * and expire (TURN REST API), only to signed-in desk staff and to a customer with a valid
 * conversation token; the anonymous /api/config carries STUN servers only.
 */
export function iceModule(deps: IceDeps): ServerModule {
  return { name: 'ice', routes: (ctx) => registerIceRoutes(ctx, deps) };
}

function registerIceRoutes({ app, guard }: RouteContext, deps: IceDeps): void {
  const staff = guard(ALL_ROLES);
  // Customers carry `vc_`; anything else goes through the staff guard (401 / 403 as everywhere).
  const caller = async (request: FastifyRequest, reply: Parameters<typeof staff>[1]): Promise<string> => {
    const token = /^Bearer\s+(vc_\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      const customer = await deps.resolveCustomer(token);
      if (!customer) throw new DomainError('unauthenticated', 'Your conversation token has expired. Start a new conversation.');
      return customer.id;
    }
    await staff(request, reply);
    return request.session!.user.id;
  };
  declareRoute(app, endpoints.iceServers, {}, async ({ request, reply }) => {
    const principalId = await caller(request, reply);
    void reply.header('cache-control', 'no-store');
    return iceServersFor(deps, principalId);
  });
}

export function iceServersFor(deps: Pick<IceDeps, 'config' | 'now'>, principalId: string): IceServersResponse {
  const { config } = deps;
  const servers: IceServer[] = [...config.iceServers];
  if (config.turnUrls.length === 0 || !config.turnSecret) return { iceServers: servers, expiresAt: null };
  const turn = turnCredential(config.turnSecret, principalId, config.turnTtlSeconds, deps.now());
  servers.push({ urls: config.turnUrls, username: turn.username, credential: turn.credential });
  return { iceServers: servers, expiresAt: turn.expiresAt.toISOString() };
}
