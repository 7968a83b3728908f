import { randomUUID } from 'node:crypto';
import type { ServerMessage } from '../../../shared/api/ws';
import type { RedisLink } from '../cluster/redis-link';
import { DomainError, type DomainErrorCode } from '../../kernel/errors';
import type { MediaEndpoint, RoomPolicy } from './media-room';
import {
  BEACON_PATTERN,
  MEDIA_RPC_TIMEOUT_MS,
  mediaBeaconSchema,
  mediaChannel,
  roomEntrySchema,
  roomKey,
  type MediaBeacon,
  type MediaEvent,
  type MediaOp,
  type MediaReply,
  type MediaRequest,
} from './media-rpc';
import { RemoteRoom, type RoomLine } from './remote-room';

export interface DirectoryDeps {
  link: RedisLink;
  /** The lease's fencing token while this node holds it, else null. */
  token(): number | null;
  /** Rooms with a router on this node now (its own and those it hosts for the holder). */
  localRooms(): number;
  log: { warn(obj: object, msg: string): void };
  /** For tests: where the next room goes (a node id), instead of the fewest rooms. */
  placeOn?: string | undefined;
  timeoutMs?: number;
}

/** A room on another node as the directory keeps it: its stub and the ids of the connections in it. */
interface Placed {
  room: RemoteRoom;
  ids: WeakMap<MediaEndpoint, string>;
  byId: Map<string, MediaEndpoint>;
}

/**
 * The lease holder's map of rooms to nodes: places each new room on the node (itself included)
 * with the fewest rooms among those whose media beacon says they have a worker, writes the room
 * registry in Redis, and talks to the rooms placed elsewhere (RemoteRoom) over the media RPC,
 * each request carrying the holder's fencing token and refused after 5 s without an answer.
 */
export class MediaDirectory {
  private readonly pending = new Map<string, { resolve(): void; reject(err: Error): void; timer: NodeJS.Timeout; roomId: string }>();
  private readonly placed = new Map<string, Placed>();

  constructor(private readonly deps: DirectoryDeps) {}

  get nodeId(): string {
    return this.deps.link.nodeId;
  }

  private get link(): RedisLink {
    return this.deps.link;
  }

  /** Live media beacons by node id. */
  async beacons(): Promise<Map<string, MediaBeacon>> {
    const out = new Map<string, MediaBeacon>();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.link.redis.scan(cursor, 'MATCH', this.link.key(BEACON_PATTERN), 'COUNT', 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    if (keys.length === 0) return out;
    const values = await this.link.redis.mget(...keys);
    keys.forEach((key, i) => {
      const parsed = mediaBeaconSchema.safeParse(safeJson(values[i] ?? null));
      if (parsed.success) out.set(key.slice(this.link.key('media:node:').length), parsed.data);
    });
    return out;
  }

  /**
   * The node for a new room: the fewest rooms among nodes with a worker, a deposed holder's left out;
   * on a tie, not the holder (it also runs the domain).
   */
  async place(): Promise<string> {
    const self = this.link.nodeId;
    const token = this.deps.token();
    const beacons = await this.beacons();
    if (this.deps.placeOn && beacons.get(this.deps.placeOn)?.workers) return this.deps.placeOn;
    let best: { nodeId: string; rooms: number } | null = null;
    for (const [nodeId, beacon] of beacons) {
      if (beacon.workers <= 0) continue;
      // A holder this one replaced: dead or exiting (fail-stop), however long its last beacon lives.
      if (nodeId !== self && beacon.holding !== undefined && token !== null && beacon.holding < token) continue;
      const rooms = nodeId === self ? this.deps.localRooms() : Math.max(beacon.rooms, this.roomsOn(nodeId));
      const better = !best || rooms < best.rooms || (rooms === best.rooms && best.nodeId === self) || (rooms === best.rooms && nodeId !== self && nodeId < best.nodeId);
      if (better) best = { nodeId, rooms };
    }
    return best?.nodeId ?? self;
  }

  private roomsOn(nodeId: string): number {
    let n = 0;
    for (const p of this.placed.values()) if (p.room.nodeId === nodeId && !p.room.isClosed) n += 1;
    return n;
  }

  /** Writes the registry entry (`SET NX`; an entry of an older token is a deposed holder's and is replaced). */
  async register(roomId: string, nodeId: string): Promise<void> {
    const token = this.fencingToken();
    const key = this.link.key(roomKey(roomId));
    const value = JSON.stringify({ nodeId, token });
    if ((await this.link.redis.set(key, value, 'NX')) === 'OK') return;
    const old = roomEntrySchema.safeParse(safeJson(await this.link.redis.get(key)));
    if (old.success && old.data.token >= token && old.data.nodeId !== nodeId) throw new DomainError('conflict', 'This media room is already placed on another server.');
    await this.link.redis.set(key, value);
  }

  /** Deletes the registry entry of a room this holder closed. */
  unregister(roomId: string): void {
    void this.link.redis.del(this.link.key(roomKey(roomId))).catch(() => undefined);
  }

  /** Opens the room on `nodeId` (another node) and returns its stub. */
  async openRemote(roomId: string, nodeId: string, policy: RoomPolicy, onGone: (room: RemoteRoom) => void): Promise<RemoteRoom> {
    await this.register(roomId, nodeId);
    const ids = new WeakMap<MediaEndpoint, string>();
    const byId = new Map<string, MediaEndpoint>();
    const line: RoomLine = {
      request: (op, opts, args) => {
        let endpointId: string | undefined;
        if (opts.endpoint) {
          endpointId = ids.get(opts.endpoint);
          if (!endpointId) {
            endpointId = randomUUID().slice(0, 12);
            ids.set(opts.endpoint, endpointId);
            byId.set(endpointId, opts.endpoint);
          }
        }
        return this.request(nodeId, roomId, op, { ...opts, endpointId }, args);
      },
      release: (endpoint) => {
        const id = ids.get(endpoint);
        if (id) byId.delete(id);
        ids.delete(endpoint);
      },
      finished: () => {
        if (this.placed.get(roomId)?.room === room) this.placed.delete(roomId);
      },
    };
    const room: RemoteRoom = new RemoteRoom(roomId, nodeId, policy, line, (gone) => {
      this.unregister(roomId);
      onGone(gone);
    });
    this.placed.set(roomId, { room, ids, byId });
    try {
      await this.request(nodeId, roomId, 'open', {}, [policy.kinds]);
    } catch (err) {
      this.placed.delete(roomId);
      this.unregister(roomId);
      throw err;
    }
    return room;
  }

  private fencingToken(): number {
    const token = this.deps.token();
    if (token === null) throw new DomainError('unavailable', 'Routing is moving to another server. Try again in a few seconds.');
    return token;
  }

  private request(nodeId: string, roomId: string, op: MediaOp, opts: { endpointId?: string | undefined; userId?: string; role?: 'producer' | 'consumer' | null }, args: unknown[]): Promise<void> {
    const req: MediaRequest = {
      kind: 'req',
      reqId: randomUUID(),
      token: this.fencingToken(),
      roomId,
      op,
      ...(opts.endpointId ? { endpointId: opts.endpointId } : {}),
      ...(opts.userId !== undefined ? { userId: opts.userId } : {}),
      ...(opts.role !== undefined ? { role: opts.role } : {}),
      // undefined does not survive JSON inside an array; null keeps the positions.
      args: args.map((a) => (a === undefined ? null : a)),
    };
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.reqId);
        reject(new DomainError('conflict', 'The media server did not answer.'));
        // A node that does not answer has lost the room (design: closed as a dead worker's).
        if (op !== 'close') this.placed.get(roomId)?.room.closedThere('media_server_restarted', true);
      }, this.deps.timeoutMs ?? MEDIA_RPC_TIMEOUT_MS);
      this.pending.set(req.reqId, { resolve, reject, timer, roomId });
      this.link.publish(mediaChannel(nodeId), req).catch((err: unknown) => {
        clearTimeout(timer);
        this.pending.delete(req.reqId);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  /** An answer to one of this holder's requests. */
  answered(reply: MediaReply): void {
    const p = this.pending.get(reply.reqId);
    if (!p) return;
    this.pending.delete(reply.reqId);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve();
    else p.reject(new DomainError(reply.code as DomainErrorCode, reply.message));
  }

  /** Unasked news from a room's node: a frame for a connection (written to it here), or the room closed there. */
  event(event: MediaEvent, from: string): void {
    const placed = this.placed.get(event.roomId);
    if (!placed || placed.room.nodeId !== from) return;
    if (event.kind === 'closed') return placed.room.closedThere(event.reason, false);
    placed.byId.get(event.endpointId)?.send(event.message as unknown as ServerMessage);
  }

  /**
   * This node just took the lease: rooms in the registry under an older token are a deposed
   * holder's (their sockets ended with it). Their nodes are told to close them (a request with
   * the new token closes every older room there) and the entries are deleted.
   */
  async adopt(): Promise<void> {
    const token = this.deps.token();
    if (token === null) return;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.link.redis.scan(cursor, 'MATCH', this.link.key(roomKey('*')), 'COUNT', 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    if (keys.length === 0) return;
    const values = await this.link.redis.mget(...keys);
    const prefix = this.link.key(roomKey(''));
    await Promise.all(
      keys.map(async (key, i) => {
        const entry = roomEntrySchema.safeParse(safeJson(values[i] ?? null));
        if (!entry.success || entry.data.token >= token) return;
        await this.request(entry.data.nodeId, key.slice(prefix.length), 'close', {}, ['media_server_restarted']).catch(() => undefined);
        await this.link.redis.del(key);
      }),
    );
  }

  /** Rooms on nodes whose beacon expired (the node died): closed, as a dead worker's are. */
  async sweep(): Promise<void> {
    if (this.placed.size === 0) return;
    const beacons = await this.beacons();
    for (const p of [...this.placed.values()]) if (!p.room.isClosed && !beacons.has(p.room.nodeId)) p.room.closedThere('media_server_restarted', true);
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}

function safeJson(value: string | null): unknown {
  if (!value) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}
