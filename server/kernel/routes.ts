import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role, User } from '../../shared/domain/roles';

/** A signed-in staff session, as a route guard leaves it on the request. */
export interface StaffSession {
  sessionId: string;
  user: User;
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a guard from RouteContext.guard; read as `request.session!` in guarded routes. */
    session?: StaffSession;
  }
}

/** A route's preHandler that lets only some roles through. */
export type RouteGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** What a module's routes() gets: the app to add routes to and the sign-in guard (server/http implements it). */
export interface RouteContext {
  app: FastifyInstance;
  /** 401 when the Bearer token is missing, expired, revoked or forged; 403 when the role is not listed. */
  guard(roles: readonly Role[]): RouteGuard;
}

export const ALL_ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];
