import { createHash } from 'node:crypto';
import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { describeIssues, type ErrorCode } from '../../shared/api/errors';
import { CLIENT_MESSAGE_TYPES, ClientMessage, MAX_WS_MESSAGE_BYTES, WsClose, type ServerMessage } from '../../shared/api/ws';
import { PROTOCOL_VERSION } from '../../shared/version';
import { DomainError } from '../kernel/errors';
import { NUL_MESSAGE, nulPath } from '../kernel/nul-text';
import type { Hub } from '../kernel/hub';
import type { ServerModule } from '../kernel/module';
import type { ActorRole, Principal, PrincipalResolver } from '../kernel/principal';
import type { HandlerContext, WsHandler } from '../kernel/ws-handlers';
import type { RevokeCause, SessionStore } from '../modules/auth/sessions';
import { FLOOD_COOLDOWN_MS, type AbuseLimits } from '../modules/limits/abuse-limits';
import { Connection } from './connection';
import { coreHandlers } from './core-handlers';
import { handlerRegistry, type HandlerRegistry } from './handler-registry';

export interface GatewayDeps {
  sessions: SessionStore;
  /**
   * The server's modules: their message handlers, credentials other than staff sessions (e.g. customers' interaction
   * tokens) and connection hooks; after hello each module's connected() runs in this order.
   */
  modules: readonly ServerModule[];
  heartbeatMs: number;
  /** Frames per connection and principal, sockets per address. */
  limits: AbuseLimits;
  isOriginAllowed(origin: string | undefined, request: FastifyRequest): boolean;
  log?: { error(obj: object, msg: string): void };
  /**
   * Several nodes: asked for each new socket; true when it went elsewhere (relayed to the node that
   * holds the routing lease, or closed while none does), false to take it here.
   */
  route?(socket: WebSocket, address: string): boolean;
}

/** The error frame's code for a domain refusal; a content type is an HTTP matter, so it reads as bad_request here. */
const frameCode = (err: DomainError): ErrorCode => (err.code === 'unsupported_media_type' ? 'bad_request' : err.code === 'damaged' ? 'internal' : err.code);

/** How long a new connection has to send its hello before it is closed. */
const HELLO_TIMEOUT_MS = 10_000;

/** Refused frames a connection may send (100 at once, 10 a second after that) before it is closed (WsClose.rateLimited). */
const REFUSAL_ALLOWANCE = { burst: 100, perSecond: 10 };

/**
 * The `/ws` endpoint: hello (token + protocol version) first, then schema-checked, role-checked
 * messages dispatched to the handler registry; heartbeats drop dead peers.
 */
export class WsGateway implements Hub {
  private readonly connections = new Set<Connection>();
  /** The authenticated connections by principal id, so a frame to one principal finds its sockets at once. */
  private readonly byPrincipal = new Map<string, Set<Connection>>();
  private nextId = 1;
  private heartbeat?: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly handlers: HandlerRegistry;
  private readonly resolvers: readonly PrincipalResolver[];

  constructor(private readonly deps: GatewayDeps) {
    this.handlers = handlerRegistry([coreHandlers, ...deps.modules.map((m) => m.wsHandlers)]);
    this.resolvers = deps.modules.flatMap((m) => m.principalResolvers ?? []);
  }

  register(app: FastifyInstance): void {
    app.get(
      '/ws',
      {
        websocket: true,
        preValidation: async (request, reply) => {
          if (!this.deps.isOriginAllowed(request.headers.origin, request)) {
            await reply.status(403).send({ error: { code: 'forbidden', message: `Origin ${request.headers.origin} may not open a Veildesk connection.` } });
          }
        },
      },
      (socket, request) => {
        if (!this.deps.route?.(socket, request.ip)) this.accept(socket, request.ip);
      },
    );
    this.heartbeat = setInterval(() => this.beat(), this.deps.heartbeatMs);
    this.unsubscribe.push(this.deps.sessions.onRevoked((sessionId, cause) => this.closeSession(sessionId, cause)));
  }

  // ---- Hub ----

  // A frame is serialised once, however many connections it goes to.

  sendTo(principalId: string, message: ServerMessage): void {
    const sockets = this.byPrincipal.get(principalId);
    if (!sockets) return;
    const text = JSON.stringify(message);
    for (const c of sockets) c.sendText(text);
  }

  sendToRoles(roles: readonly ActorRole[], message: ServerMessage): void {
    let text: string | undefined;
    for (const c of this.connections) if (c.principal && roles.includes(c.principal.role)) c.sendText((text ??= JSON.stringify(message)));
  }

  isConnected(principalId: string): boolean {
    return this.byPrincipal.has(principalId);
  }

  disconnect(principalId: string, closeCode: number, reason: string): void {
    for (const c of [...(this.byPrincipal.get(principalId) ?? [])]) c.socket.close(closeCode, reason.slice(0, 120));
  }

  principals(): Principal[] {
    // The principal of each one's newest connection (a new session may have a later expiry).
    return [...this.byPrincipal.values()].map((sockets) => [...sockets].at(-1)!.principal!);
  }

  /** Closes every connection of an ended session at once; presence ends without a grace period. */
  closeSession(sessionId: string, cause: RevokeCause = 'signed_out'): void {
    for (const c of this.connections) {
      if (c.principal?.sessionId !== sessionId) continue;
      c.closingForSignOut = true;
      if (cause === 'admin') c.refuse(WsClose.accountChanged, 'unauthenticated', 'An admin changed your account or ended its sessions. Sign in again, or ask your admin if you cannot.');
      else c.refuse(WsClose.signedOut, 'unauthenticated', 'You signed out. Sign in again to continue.');
    }
  }

  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const off of this.unsubscribe) off();
    const open = [...this.connections];
    for (const c of open) c.socket.close(1001, 'server shutting down');
    // A peer that went silent never answers the close frame; do not wait the ws library's 30 s for it.
    const deadline = Date.now() + 1000;
    while (open.some((c) => this.connections.has(c)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    for (const c of open) if (this.connections.has(c)) c.socket.terminate();
  }

  // ---- connection lifecycle ----

  /** A client socket: a local one, or one another node relays here (cluster/socket-relay.ts). */
  accept(socket: WebSocket, address: string): void {
    const connection = new Connection(this.nextId++, socket, address);
    const slot = this.deps.limits.socket(address);
    if (!slot) {
      socket.on('error', () => undefined);
      return connection.refuse(WsClose.rateLimited, 'rate_limited', `Too many open connections from your address (at most ${this.deps.limits.socketsPerAddress}). Close other tabs or windows, then reconnect.`);
    }
    connection.releaseSlot = slot;
    this.connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (!connection.principal) connection.refuse(WsClose.helloTimeout, 'unauthenticated', 'No hello received in time. Send hello with your token first.');
    }, HELLO_TIMEOUT_MS);

    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      this.receive(connection, data, isBinary).catch((err: unknown) => {
        if (err instanceof DomainError) return connection.error(frameCode(err), err.message);
        // Internals stay in the log; the client learns only that it can retry.
        this.deps.log?.error({ err, connection: connection.id }, 'websocket handler failed');
        connection.error('internal', 'The server could not handle that message. Try again; if it keeps failing, contact your administrator.');
      });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      connection.releaseSlot();
      this.connections.delete(connection);
      const principal = connection.principal;
      if (principal) this.unindex(connection, principal.id);
      if (principal) for (const m of this.deps.modules) m.disconnected?.(principal, { immediate: connection.closingForSignOut });
    });
  }

  private async receive(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return connection.error('bad_request', 'Binary frames are not accepted. Send JSON text frames.');
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (size > MAX_WS_MESSAGE_BYTES) return connection.error('payload_too_large', `Message of ${size} bytes is over the ${MAX_WS_MESSAGE_BYTES}-byte limit.`);

    // Before parsing: a refused frame costs the server as little as possible.
    if (!this.admitFrame(connection)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      return connection.error('bad_request', 'Malformed JSON. Each frame must be one JSON object.');
    }
    const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const type = fields.type;
    const ref = typeof fields.id === 'string' ? fields.id : typeof type === 'string' ? type : undefined;
    if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.includes(type)) {
      return connection.error('unknown_message', `Unknown message type ${JSON.stringify(type)}. Known types: ${CLIENT_MESSAGE_TYPES.join(', ')}.`, ref);
    }
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const detail = describeIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join('; ');
      return connection.error('bad_request', `Invalid ${type} message: ${detail}`, ref);
    }
    const nul = nulPath(parsed.data);
    if (nul !== null) return connection.error('bad_request', `Invalid ${type} message: ${nul}: ${NUL_MESSAGE}`, ref);
    const message = parsed.data;

    if (message.type === 'hello') return this.hello(connection, message);
    const principal = connection.principal;
    if (!principal) return connection.error('unauthenticated', 'Send hello with your token before any other message.', ref);
    if (principal.expiresAt.getTime() <= Date.now()) {
      return connection.refuse(WsClose.unauthenticated, 'unauthenticated', 'Your session has expired. Sign in again.');
    }
    const handler = this.handlers[message.type] as unknown as WsHandler<typeof message.type>;
    if (!handler.roles.includes(principal.role)) {
      return connection.error('forbidden', `${message.type} is not allowed for the role ${principal.role}.`, ref);
    }
    const ctx: HandlerContext = { connection, principal };
    try {
      await handler.handle(message as never, ctx);
    } catch (err) {
      if (err instanceof DomainError) return connection.error(frameCode(err), err.message, ref);
      throw err;
    }
  }

  /**
   * The rate limits, before a frame is even parsed: its connection's bucket, then its principal's
   * (all their connections together). The first refused frame of a run is answered with
   * rate_limited and retryAfterMs; the rest of the run is dropped unanswered (the client resends
   * what was not acknowledged), and a client that keeps sending regardless is closed.
   */
  private admitFrame(connection: Connection): boolean {
    if (!connection.isOpen()) return false;
    const decision = this.deps.limits.frame(String(connection.id), connection.principal?.id ?? null);
    if (decision.allowed) {
      connection.refusedInARow = 0;
      return true;
    }
    connection.refusedInARow++;
    if (!this.deps.limits.store.take(`ws:refused:${connection.id}`, REFUSAL_ALLOWANCE).allowed) {
      // Reconnecting at once would cost every module a hello and a goodbye: the principal sits out a while.
      if (connection.principal) void this.deps.limits.penalize(connection.credentialKey, connection.principal.id).catch((err: unknown) => this.deps.log?.error({ err }, 'limits: penalty not recorded'));
      connection.refuse(WsClose.rateLimited, 'rate_limited', `Too many messages, still coming after being refused. Reconnect in ${FLOOD_COOLDOWN_MS / 1000} s and send more slowly.`);
      return false;
    }
    if (connection.refusedInARow > 1) return false;
    const whose = decision.scope === 'principal' ? 'your connections together' : 'this connection';
    connection.error(
      'rate_limited',
      `Too many messages from ${whose}: it and those after it until ${decision.retryAfterMs} ms have passed are not handled. Wait, then send again what was not acknowledged.`,
      undefined,
      { retryAfterMs: decision.retryAfterMs },
    );
    return false;
  }

  private async resolve(token: string): Promise<Principal | null> {
    const resolver = this.resolvers.find((r) => r.accepts(token));
    if (resolver) return resolver.resolve(token);
    const session = await this.deps.sessions.authenticate(token);
    if (!session) return null;
    return {
      id: session.user.id,
      role: session.user.role,
      displayName: session.user.displayName,
      sessionId: session.sessionId,
      expiresAt: session.expiresAt,
      user: session.user,
    };
  }

  private async hello(connection: Connection, message: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    // Flag before the first await: a second hello sent right behind the first must not also pass.
    if (connection.principal || connection.helloPending) return connection.error('conflict', 'Already authenticated on this connection.', 'hello');
    connection.helloPending = true;
    if (message.protocol !== PROTOCOL_VERSION) {
      const advice = message.protocol < PROTOCOL_VERSION ? 'Update the Veildesk app.' : 'The server is older than this app; ask IT to update the server.';
      return connection.refuse(WsClose.protocolMismatch, 'protocol_mismatch', `Protocol version ${message.protocol} is not supported; the server speaks ${PROTOCOL_VERSION}. ${advice}`);
    }
    // Closed for flooding and reconnecting at once: refused before the token is even looked up.
    connection.credentialKey = createHash('sha256').update(message.token).digest('base64url');
    // After each wait below: a client that gave up on this socket meanwhile (its connect deadline,
    // under a reconnect storm) has gone, and the work for it would only delay the hellos behind it.
    const early = await this.deps.limits.hello(connection.credentialKey);
    if (!connection.isOpen()) return;
    if (!early.allowed) return this.refuseHello(connection, early.retryAfterMs);
    const principal = await this.resolve(message.token);
    if (!connection.isOpen()) return;
    if (!principal) return connection.refuse(WsClose.unauthenticated, 'unauthenticated', 'Your session has expired or was signed out. Sign in again.');
    // A principal still over its rate (or in its cool-down, on another credential) waits before it is served again.
    const again = await this.deps.limits.hello(connection.credentialKey, principal.id);
    if (!again.allowed) return this.refuseHello(connection, again.retryAfterMs);
    for (const m of this.deps.modules) {
      if (!connection.isOpen()) return;
      try {
        await m.admit?.(principal);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const close = err.code === 'policy_not_accepted' ? WsClose.policyNotAccepted : err.code === 'password_change_required' ? WsClose.passwordChangeRequired : WsClose.unauthenticated;
        return connection.refuse(close, frameCode(err), err.message);
      }
    }
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.principal = principal;
    const sockets = this.byPrincipal.get(principal.id);
    if (sockets) sockets.add(connection);
    else this.byPrincipal.set(principal.id, new Set([connection]));
    // Staff get hello.ok from the presence module, customers hello.customer from the interactions module.
    for (const m of this.deps.modules) await m.connected?.(principal, connection);
  }

  private unindex(connection: Connection, principalId: string): void {
    const sockets = this.byPrincipal.get(principalId);
    sockets?.delete(connection);
    if (sockets?.size === 0) this.byPrincipal.delete(principalId);
  }

  private refuseHello(connection: Connection, retryAfterMs: number): void {
    connection.refuse(WsClose.rateLimited, 'rate_limited', `Too many messages from your connections. Reconnect in ${Math.ceil(retryAfterMs / 1000)} s and send more slowly.`);
  }

  private beat(): void {
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
    }
  }
}
