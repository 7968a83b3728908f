import type { ServerMessage } from '../../../shared/api/ws';
import type { DtlsParameters, MediaCloseReason, MediaKind, RtpCapabilities, RtpParameters, TransportDirection } from '../../../shared/api/ws-media';
import type { RedisLink } from '../cluster/redis-link';
import { DomainError } from '../../kernel/errors';
import type { MediaEndpoint, MediaRoom, RoomPolicy } from './media-room';
import { mediaChannel, roomKey, type MediaEvent, type MediaReply, type MediaRequest } from './media-rpc';

/** What a host needs of the node's own SFU (MediaService.openLocalRoom, without the directory). */
export interface LocalRooms {
  openLocalRoom(id: string, policy: RoomPolicy): Promise<MediaRoom>;
}

/** A holder's connection as a hosted room sees it: frames go back to the holder, which writes them to the socket. */
class ProxyEndpoint implements MediaEndpoint {
  role: 'producer' | 'consumer' | null = null;
  userId = '';
  open = true;
  constructor(
    readonly id: string,
    private readonly out: (message: ServerMessage) => void,
  ) {}
  send(message: ServerMessage): void {
    if (this.open) this.out(message);
  }
  isOpen(): boolean {
    return this.open;
  }
}

interface Hosted {
  room: MediaRoom;
  holder: string;
  token: number;
  endpoints: Map<string, ProxyEndpoint>;
}

// Deletes the registry entry only while it still names this node (a room placed again elsewhere keeps its new entry).
const DELETE_IF_OURS = `local v = redis.call('GET', KEYS[1]) if v and cjson.decode(v).nodeId == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * This node's side of rooms placed here by the lease holder: each is a MediaRoom on this node's
 * workers whose policy is what the holder says with every request (the holder asked the owner's
 * policy just before). Requests carrying a fencing token lower than the highest seen are refused:
 * a holder that was replaced cannot open or widen rooms; the rooms of older tokens close.
 */
export class MediaHost {
  private readonly hosted = new Map<string, Hosted>();
  private highest = 0;

  constructor(
    private readonly deps: {
      link: RedisLink;
      media: LocalRooms;
      /** The lease holder's token as this node last saw it (0 when unknown). */
      holderToken(): number;
      log: { warn(obj: object, msg: string): void };
    },
  ) {}

  get roomCount(): number {
    return this.hosted.size;
  }

  async handle(req: MediaRequest, from: string): Promise<void> {
    let reply: MediaReply;
    try {
      await this.run(req, from);
      reply = { kind: 'res', reqId: req.reqId, ok: true };
    } catch (err) {
      const domain = err instanceof DomainError;
      if (!domain) this.deps.log.warn({ op: req.op, err: err instanceof Error ? err.message : String(err) }, 'media RPC: request failed');
      reply = { kind: 'res', reqId: req.reqId, ok: false, code: domain ? err.code : 'conflict', message: domain ? err.message : 'The media server could not do that.' };
    }
    await this.deps.link.publish(mediaChannel(from), reply).catch(() => undefined);
  }

  private fence(token: number): void {
    const floor = Math.max(this.highest, this.deps.holderToken());
    if (token < floor) throw new DomainError('conflict', 'This request comes from a routing node that was replaced (stale fencing token).');
    if (token > this.highest) {
      this.highest = token;
      // Rooms opened for a deposed holder: its sockets are gone, nobody can control them any more.
      for (const h of [...this.hosted.values()]) if (h.token < token) h.room.close('media_server_restarted');
    }
  }

  private async run(req: MediaRequest, from: string): Promise<void> {
    this.fence(req.token);
    if (req.op === 'open') return this.open(req, from);
    const hosted = this.hosted.get(req.roomId);
    if (!hosted || hosted.room.isClosed) {
      if (req.op === 'close' || req.op === 'leave' || req.op === 'dropUser' || req.op === 'dropEndpoint') return;
      throw new DomainError('not_found', 'This media room has closed.');
    }
    const { room } = hosted;
    const a = req.args;
    if (req.op === 'close') return room.close(a[0] as MediaCloseReason);
    if (req.op === 'setPaused') return room.setPaused(a[0] === true);
    if (req.op === 'dropUser') return room.dropUser(req.userId ?? '', a[0] as MediaCloseReason);
    const ep = this.endpoint(hosted, req, from);
    const userId = ep.userId;
    const ref = (i: number) => (typeof a[i] === 'string' ? (a[i] as string) : undefined);
    switch (req.op) {
      case 'join':
        return room.join(userId, ep, ref(0));
      case 'createTransport':
        return room.createTransport(userId, ep, a[0] as TransportDirection, ref(1));
      case 'connectTransport':
        return room.connectTransport(userId, ep, String(a[0]), a[1] as DtlsParameters, ref(2));
      case 'produce':
        return room.produce(userId, ep, String(a[0]), a[1] as MediaKind, a[2] as RtpParameters, ref(3));
      case 'consume':
        return room.consume(userId, ep, String(a[0]), a[1] as RtpCapabilities, ref(2));
      case 'resumeConsumer':
        return room.resumeConsumer(userId, ep, String(a[0]));
      case 'leave':
        room.leave(ep);
        return this.forget(hosted, ep);
      case 'dropEndpoint':
        room.dropEndpoint(ep, a[0] as MediaCloseReason);
        return this.forget(hosted, ep);
    }
  }

  private async open(req: MediaRequest, from: string): Promise<void> {
    const existing = this.hosted.get(req.roomId);
    if (existing && !existing.room.isClosed) return;
    const kinds = (Array.isArray(req.args[0]) ? req.args[0] : []).filter((k): k is MediaKind => k === 'audio' || k === 'video');
    const hosted: Hosted = { room: null as unknown as MediaRoom, holder: from, token: req.token, endpoints: new Map() };
    const mine = (endpoint: MediaEndpoint, role: 'producer' | 'consumer', userId: string) =>
      endpoint instanceof ProxyEndpoint && endpoint.role === role && endpoint.userId === userId;
    hosted.room = await this.deps.media.openLocalRoom(req.roomId, {
      kinds,
      mayProduce: (userId, endpoint) => mine(endpoint, 'producer', userId),
      mayConsume: (userId, endpoint) => mine(endpoint, 'consumer', userId),
      onClosed: (reason) => {
        if (this.hosted.get(req.roomId) === hosted) this.hosted.delete(req.roomId);
        for (const ep of hosted.endpoints.values()) ep.open = false;
        const event: MediaEvent = { kind: 'closed', roomId: req.roomId, reason };
        void this.deps.link.publish(mediaChannel(hosted.holder), event).catch(() => undefined);
        void this.deps.link.redis.eval(DELETE_IF_OURS, 1, this.deps.link.key(roomKey(req.roomId)), this.deps.link.nodeId).catch(() => undefined);
      },
    });
    this.hosted.set(req.roomId, hosted);
  }

  /** The proxy of the request's connection, its role and user as the holder says now. */
  private endpoint(hosted: Hosted, req: MediaRequest, from: string): ProxyEndpoint {
    if (!req.endpointId) throw new DomainError('bad_request', 'A media request names its connection.');
    let ep = hosted.endpoints.get(req.endpointId);
    if (!ep) {
      const endpointId = req.endpointId;
      ep = new ProxyEndpoint(endpointId, (message) => {
        const event: MediaEvent = { kind: 'event', roomId: hosted.room.id, endpointId, message };
        void this.deps.link.publish(mediaChannel(from), event).catch(() => undefined);
      });
      hosted.endpoints.set(endpointId, ep);
    }
    ep.role = req.role ?? null;
    ep.userId = req.userId ?? '';
    return ep;
  }

  private forget(hosted: Hosted, ep: ProxyEndpoint): void {
    ep.open = false;
    hosted.endpoints.delete(ep.id);
  }

  close(): void {
    for (const h of [...this.hosted.values()]) h.room.close('ended');
  }
}
