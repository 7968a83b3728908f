import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Endpoint, isNotJson, type NotJson } from '../../shared/api/endpoints';
import type { ResponseOf } from '../../shared/api/routes';
import { parseInput } from './errors';
import type { Role, User } from '../../shared/domain/roles';

/** A signed-in staff session, as a route guard leaves it on the request. */
export interface StaffSession {
  sessionId: string;
  user: User;
  expiresAt: Date;
  /** An admin set the password: only the routes in PASSWORD_CHANGE_ROUTES answer until it is changed. */
  mustChangePassword?: boolean;
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

/** The roles that run the desk (interactions, history, recordings, sync). Not `privacy`: it gets PRIVACY_ROLES' routes only. */
export const ALL_ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];
/** Subject search and privacy requests: privacy officers and admins. */
export const PRIVACY_ROLES: readonly Role[] = ['privacy', 'admin'];
/** Every signed-in staff user, for their own session (me, sign-out). */
export const SIGNED_IN_ROLES: readonly Role[] = [...ALL_ROLES, 'privacy'];

/** What a declared route's handler gets: its input parsed with the endpoint's schemas. */
export interface DeclaredInput<E extends Endpoint> {
  params: ParsedOf<E['params']>;
  query: ParsedOf<E['query']>;
  body: E['body'] extends z.ZodType ? z.output<E['body']> : unknown;
  request: FastifyRequest;
  reply: FastifyReply;
}
type ParsedOf<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface DeclaredRouteOptions {
  preHandler?: RouteGuard;
  bodyLimit?: number;
  /** What the input is called in a bad_request message ("Invalid sign-in request: …"). */
  input?: string;
}

/**
 * Registers a route from its shared declaration: method and path from shared/api/routes.ts, each
 * declared input parsed (after the guard) into a bad_request naming the bad fields. The handler
 * answers with the declared response or sends its own reply (a status, a stream).
 */
export function declareRoute<E extends Endpoint>(
  app: FastifyInstance,
  endpoint: E,
  options: DeclaredRouteOptions,
  handler: (input: DeclaredInput<E>) => Promise<ResponseOf<E['route']> | FastifyReply>,
): void {
  const { route } = endpoint;
  const what = options.input ?? 'request';
  app.route({
    method: route.method,
    url: route.path,
    ...(options.preHandler ? { preHandler: options.preHandler } : {}),
    ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
    handler: async (request, reply) => {
      // Undeclared input is not read; bytes (not JSON) pass as the content-type parser left them.
      const parse = (schema: z.ZodType | NotJson | undefined, value: unknown): unknown => {
        if (schema === undefined) return undefined;
        return isNotJson(schema) ? value : parseInput(schema, value, what);
      };
      const input = {
        params: parse(endpoint.params, request.params),
        query: parse(endpoint.query, request.query),
        body: parse(endpoint.body, request.body),
        request,
        reply,
      } as DeclaredInput<E>;
      return handler(input);
    },
  });
}
