import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { describeIssues } from '../../shared/api/errors';
import { CLIENT_MESSAGE_TYPES, ClientMessage, MAX_WS_MESSAGE_BYTES, WsClose } from '../../shared/api/ws';
import type { SessionStore } from '../modules/auth/sessions';
import type { PresenceService } from '../modules/presence/presence-service';
import { PROTOCOL_VERSION } from '../../shared/version';
import { Connection } from './connection';
import { handlers, type HandlerContext } from './handlers';

export interface GatewayDeps {
  sessions: SessionStore;
  presence: PresenceService;
  heartbeatMs: number;
  serverVersion: string;
  isOriginAllowed(origin: string | undefined, request: FastifyRequest): boolean;
}

/** Seconds a new connection has to send its hello before it is closed. */
const HELLO_TIMEOUT_MS = 10_000;

/**
 * The `/ws` endpoint: hello (token + protocol version) first, then schema-checked, role-checked
 * messages; heartbeats drop dead peers; presence follows the connections.
 */
export class WsGateway {
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  private heartbeat?: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly deps: GatewayDeps) {}

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
      (socket, request) => this.accept(socket, request.ip),
    );

    this.heartbeat = setInterval(() => this.beat(), this.deps.heartbeatMs);
    this.unsubscribe.push(this.deps.presence.onChange((entry) => {
      for (const c of this.connections) {
        if (!c.session) continue;
        if (c.session.user.id === entry.userId) c.send({ type: 'presence.self', presence: entry.presence, since: entry.since });
        if (entry.role === 'agent' && (c.session.user.role === 'supervisor' || c.session.user.role === 'admin')) c.send({ type: 'roster.changed', agent: entry });
      }
    }));
    this.unsubscribe.push(this.deps.sessions.onRevoked((sessionId) => this.closeSession(sessionId)));
  }

  /** Closes every connection of a signed-out session; presence ends without a grace period. */
  closeSession(sessionId: string): void {
    for (const c of this.connections) {
      if (c.session?.sessionId !== sessionId) continue;
      c.closingForSignOut = true;
      c.refuse(WsClose.signedOut, 'unauthenticated', 'You signed out. Sign in again to continue.');
    }
  }

  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const off of this.unsubscribe) off();
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
  }

  private accept(socket: WebSocket, address: string): void {
    const connection = new Connection(this.nextId++, socket, address);
    this.connections.add(connection);
    const helloTimer = setTimeout(() => {
      if (!connection.session) connection.refuse(WsClose.helloTimeout, 'unauthenticated', 'No hello received in time. Send hello with your token first.');
    }, HELLO_TIMEOUT_MS);

    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      this.receive(connection, data, isBinary).catch((err: unknown) => {
        connection.error('internal', `The server could not handle that message: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.connections.delete(connection);
      if (connection.session) this.deps.presence.disconnected(connection.session.user.id, { immediate: connection.closingForSignOut });
    });
  }

  private async receive(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return connection.error('bad_request', 'Binary frames are not accepted. Send JSON text frames.');
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (size > MAX_WS_MESSAGE_BYTES) return connection.error('payload_too_large', `Message of ${size} bytes is over the ${MAX_WS_MESSAGE_BYTES}-byte limit.`);

    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      return connection.error('bad_request', 'Malformed JSON. Each frame must be one JSON object.');
    }
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? (raw as { type: unknown }).type : undefined;
    const ref = typeof raw === 'object' && raw !== null && 'id' in raw && typeof (raw as { id: unknown }).id === 'string' ? (raw as { id: string }).id : typeof type === 'string' ? type : undefined;
    if (typeof type !== 'string' || !CLIENT_MESSAGE_TYPES.includes(type)) {
      return connection.error('unknown_message', `Unknown message type ${JSON.stringify(type)}. Known types: ${CLIENT_MESSAGE_TYPES.join(', ')}.`, ref);
    }
    const parsed = ClientMessage.safeParse(raw);
    if (!parsed.success) {
      const detail = describeIssues(parsed.error.issues).map((i) => `${i.path}: ${i.message}`).join('; ');
      return connection.error('bad_request', `Invalid ${type} message: ${detail}`, ref);
    }
    const message = parsed.data;

    if (message.type === 'hello') return this.hello(connection, message);
    const session = connection.session;
    if (!session) return connection.error('unauthenticated', 'Send hello with your token before any other message.', ref);
    if (session.expiresAt.getTime() <= Date.now()) {
      return connection.refuse(WsClose.unauthenticated, 'unauthenticated', 'Your session has expired. Sign in again.');
    }
    const handler = handlers[message.type] as HandlerEntry;
    if (!handler.roles.includes(session.user.role)) {
      return connection.error('forbidden', `${message.type} is not allowed for the role ${session.user.role}.`, ref);
    }
    const ctx: HandlerContext = { connection, session, presence: this.deps.presence };
    await handler.handle(message, ctx);
  }

  private async hello(connection: Connection, message: Extract<ClientMessage, { type: 'hello' }>): Promise<void> {
    if (connection.session) return connection.error('conflict', 'Already authenticated on this connection.', 'hello');
    if (message.protocol !== PROTOCOL_VERSION) {
      const advice = message.protocol < PROTOCOL_VERSION ? 'Update the Veildesk app.' : 'The server is older than this app; ask IT to update the server.';
      return connection.refuse(WsClose.protocolMismatch, 'protocol_mismatch', `Protocol version ${message.protocol} is not supported; the server speaks ${PROTOCOL_VERSION}. ${advice}`);
    }
    const session = await this.deps.sessions.authenticate(message.token);
    if (!session) return connection.refuse(WsClose.unauthenticated, 'unauthenticated', 'Your session has expired or was signed out. Sign in again.');
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.session = session;
    const own = await this.deps.presence.connected(session.user);
    connection.send({
      type: 'hello.ok',
      protocol: PROTOCOL_VERSION,
      serverVersion: this.deps.serverVersion,
      heartbeatMs: this.deps.heartbeatMs,
      user: session.user,
      presence: own.presence,
    });
    if (session.user.role === 'supervisor' || session.user.role === 'admin') {
      connection.send({ type: 'roster.snapshot', agents: this.deps.presence.roster() });
    }
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

type HandlerEntry = { roles: readonly string[]; handle(message: unknown, ctx: HandlerContext): Promise<void> | void };
