import { createRequire } from 'node:module';
import path from 'node:path';
import type { types } from 'mediasoup';
import type { MediaCloseReason } from '../../../shared/api/ws-media';
import { DomainError } from '../../kernel/errors';
import { ROOM_CODECS } from './codecs';
import type { MediaDirectory } from './media-directory';
import { MediaRoom, type MediaEndpoint, type Room, type RoomPolicy, type TransportOptions } from './media-room';
import { loadMediasoup, versionOf, type Mediasoup } from './mediasoup-loader';
import { findWorkerBinary } from './worker-binary';
import { WorkerPool } from './worker-pool';

export interface MediaListenIp {
  ip: string;
  /** The address clients connect to when the server sits behind NAT (required with 0.0.0.0). */
  announcedAddress?: string | undefined;
}

export interface MediaConfig {
  /** Workers to run; 0 turns the SFU off. */
  workers: number;
  listenIps: MediaListenIp[];
  rtcMinPort: number;
  rtcMaxPort: number;
  /** MEDIASOUP_WORKER_BIN; without it the cached build, then the npm package's own worker. */
  workerBin?: string | undefined;
}

export interface MediaLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Rooms a module opens the first time a client names them (e.g. `share:<id>`). */
export interface RoomOpener {
  /** Opens the room for this user if they may produce or consume there; null otherwise. */
  open(roomId: string, userId: string, endpoint: MediaEndpoint): Promise<Room | null>;
  /** A request in one of these rooms was refused (the module audits it). */
  refused?(roomId: string, user: { id: string; username: string }, messageType: string): Promise<void>;
}

/**
 * The SFU: a pool of mediasoup workers and the media rooms on them (one router each). Modules open
 * rooms with a policy that decides who produces and who consumes; the WebSocket handlers pass
 * requests here. When no worker can run, the service says why (`unavailable`) and every request is
 * refused with that reason; screen shares then stay peer to peer.
 */
export class MediaService {
  private readonly rooms = new Map<string, Room>();
  private readonly openers = new Map<string, RoomOpener>();
  /** Several nodes: where rooms go (set on every node; used while this node holds the lease). */
  private directory: MediaDirectory | null = null;
  /** Whether this node holds the routing lease now (only the holder places rooms). */
  private placing: () => boolean = () => false;

  private constructor(
    private readonly pool: WorkerPool | null,
    private readonly transportOptions: TransportOptions,
    private readonly why: string | null,
    readonly version: string | null,
  ) {}

  /** Starts the workers, or returns a service that explains why there is no SFU. */
  static async start(config: MediaConfig, log: MediaLog): Promise<MediaService> {
    if (config.workers <= 0) return MediaService.disabled('The SFU is turned off (VEILDESK_MEDIA_WORKERS=0).');
    let packageDir: string;
    try {
      packageDir = path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json'));
    } catch {
      return MediaService.disabled('The mediasoup package is not installed (npm install).');
    }
    // The configuration decides (it read MEDIASOUP_WORKER_BIN), not whatever the process inherited.
    const env: NodeJS.ProcessEnv = { ...process.env, MEDIASOUP_WORKER_BIN: config.workerBin };
    if (!config.workerBin) delete env.MEDIASOUP_WORKER_BIN;
    const found = findWorkerBinary(packageDir, env);
    if ('reason' in found) return MediaService.disabled(`No usable mediasoup worker: ${found.reason}.`);
    let mediasoup: Mediasoup;
    try {
      mediasoup = await loadMediasoup(found.path);
    } catch (err) {
      return MediaService.disabled(`The mediasoup package did not load: ${String(err)}`);
    }
    const holder: { service?: MediaService } = {};
    let pool: WorkerPool;
    try {
      pool = await WorkerPool.start(mediasoup, {
        count: config.workers,
        rtcMinPort: config.rtcMinPort,
        rtcMaxPort: config.rtcMaxPort,
        log,
        onWorkerDied: (dead) => holder.service?.workerDied(dead),
      });
    } catch (err) {
      return MediaService.disabled(`The mediasoup worker ${found.path} did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
    const service = new MediaService(pool, transportOptions(mediasoup, config), null, mediasoup.version);
    holder.service = service;
    log.info({ workers: pool.size, worker: found.path, version: mediasoup.version }, 'SFU ready');
    return service;
  }

  static disabled(why: string): MediaService {
    return new MediaService(null, {}, why, null);
  }

  /** Null when rooms can be opened now; otherwise why not. */
  unavailable(): string | null {
    if (this.why) return this.why;
    if (!this.pool || this.pool.size === 0) return 'No media worker is running right now (one is being restarted). Try again in a moment.';
    return null;
  }

  /** Live worker processes (for tests and the health of the SFU). */
  workers(): types.Worker[] {
    return this.pool?.workers() ?? [];
  }

  /** Lets a module open its rooms on demand, by id prefix (`share:`, `monitor:`). */
  registerOpener(prefix: string, opener: RoomOpener): void {
    this.openers.set(prefix, opener);
  }

  /** Several nodes (MediaCluster): the lease holder places rooms through the directory. */
  useDirectory(directory: MediaDirectory, placing: () => boolean): void {
    this.directory = directory;
    this.placing = placing;
  }

  /**
   * Opens a room with its own router. One node: on this node's least busy worker. Several nodes,
   * on the lease holder: on the node the directory picks (this one or another, then a RemoteRoom).
   * An open room with this id is returned as is.
   */
  async openRoom(id: string, policy: RoomPolicy): Promise<Room> {
    const existing = this.rooms.get(id);
    if (existing && !existing.isClosed) return existing;
    const directory = this.placing() ? this.directory : null;
    if (!directory) return this.openLocalRoom(id, policy);
    const nodeId = await directory.place();
    if (nodeId === directory.nodeId) {
      await directory.register(id, nodeId);
      const onClosed = (reason: MediaCloseReason) => {
        directory.unregister(id);
        policy.onClosed?.(reason);
      };
      return this.openLocalRoom(id, { ...policy, onClosed }).catch((err: unknown) => {
        directory.unregister(id);
        throw err;
      });
    }
    const remote = await directory.openRemote(id, nodeId, policy, (gone) => {
      if (this.rooms.get(id) === gone) this.rooms.delete(id);
    });
    const raced = this.rooms.get(id);
    if (raced && !raced.isClosed) {
      remote.close('ended');
      return raced;
    }
    this.rooms.set(id, remote);
    return remote;
  }

  /** Rooms with a router on this node now (the media beacon's count). */
  localRoomCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) if (room instanceof MediaRoom && !room.isClosed) n += 1;
    return n;
  }

  /** Opens a room on this node's least busy worker (one node, or a room placed here). */
  async openLocalRoom(id: string, policy: RoomPolicy): Promise<MediaRoom> {
    const existing = this.rooms.get(id);
    if (existing instanceof MediaRoom && !existing.isClosed) return existing;
    const why = this.unavailable();
    if (why || !this.pool) throw new DomainError('conflict', why ?? 'No SFU.');
    const slot = this.pool.take();
    if (!slot) throw new DomainError('conflict', 'No media worker is running right now. Try again in a moment.');
    let router: types.Router;
    try {
      router = await slot.worker.createRouter({ mediaCodecs: ROOM_CODECS });
    } catch (err) {
      slot.release();
      throw err;
    }
    const raced = this.rooms.get(id);
    if (raced instanceof MediaRoom && !raced.isClosed) {
      router.close();
      slot.release();
      return raced;
    }
    const room = new MediaRoom(id, router, slot.worker, policy, this.transportOptions, (gone) => {
      slot.release();
      if (this.rooms.get(id) === gone) this.rooms.delete(id);
    });
    this.rooms.set(id, room);
    return room;
  }

  room(id: string): Room | undefined {
    const room = this.rooms.get(id);
    return room && !room.isClosed ? room : undefined;
  }

  closeRoom(id: string, reason: MediaCloseReason): void {
    this.rooms.get(id)?.close(reason);
  }

  /** The room a client names: open already, or opened now by its module; else a refusal. */
  async resolve(roomId: string, userId: string, endpoint: MediaEndpoint): Promise<Room> {
    const why = this.unavailable();
    if (why) throw new DomainError('conflict', why);
    const open = this.room(roomId);
    if (open) return open;
    const room = await this.openerOf(roomId)?.open(roomId, userId, endpoint);
    if (room) return room;
    throw new DomainError('forbidden', 'That media room does not exist, or you may not send or receive media in it.');
  }

  /** Lets the room's module audit a refused request. */
  async refused(roomId: string, user: { id: string; username: string }, messageType: string): Promise<void> {
    await this.openerOf(roomId)?.refused?.(roomId, user, messageType);
  }

  private openerOf(roomId: string): RoomOpener | undefined {
    for (const [prefix, opener] of this.openers) if (roomId.startsWith(prefix)) return opener;
    return undefined;
  }

  /** A user's connection closed: their closed connections leave every room. */
  disconnected(userId: string): void {
    for (const room of this.rooms.values()) room.dropClosedEndpoints(userId);
  }

  /** A worker died: its rooms close cleanly, each connection in them told why. */
  private workerDied(dead: types.Worker): void {
    for (const room of [...this.rooms.values()]) if (room instanceof MediaRoom && room.worker === dead) room.close('media_server_restarted');
  }

  close(): void {
    for (const room of [...this.rooms.values()]) room.close('ended');
    this.pool?.close();
  }
}

/** Listen addresses for WebRtcTransports, in the form the running mediasoup version takes. */
function transportOptions(mediasoup: Mediasoup, config: MediaConfig): TransportOptions {
  const common = { enableUdp: true, enableTcp: true, preferUdp: true, initialAvailableOutgoingBitrate: 2_000_000 };
  const [major, minor] = versionOf(mediasoup);
  if (major > 3 || (major === 3 && minor >= 13)) {
    // 3.13 on: listenInfos, one per protocol.
    const listenInfos = config.listenIps.flatMap((l) =>
      (['udp', 'tcp'] as const).map((protocol) => ({ protocol, ip: l.ip, ...(l.announcedAddress ? { announcedAddress: l.announcedAddress } : {}) })),
    );
    return { ...common, listenInfos };
  }
  return { ...common, listenIps: config.listenIps.map((l) => ({ ip: l.ip, ...(l.announcedAddress ? { announcedIp: l.announcedAddress } : {}) })) };
}
