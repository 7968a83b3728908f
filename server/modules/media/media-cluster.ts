import type { RedisLink } from '../cluster/redis-link';
import { MediaDirectory } from './media-directory';
import { MediaHost, type LocalRooms } from './media-host';
import { beaconKey, mediaChannel, mediaMessageSchema, type MediaBeacon } from './media-rpc';

export interface MediaClusterDeps {
  link: RedisLink;
  media: LocalRooms & { localRoomCount(): number; workers(): unknown[]; unavailable(): string | null };
  /** The fencing token while this node holds the routing lease, else null. */
  token(): number | null;
  /** The lease holder's token as this node last saw it (0 when unknown). */
  holderToken(): number;
  /** The address(es) clients reach this node's media on. */
  announced: string;
  renewMs: number;
  ttlMs: number;
  log: { warn(obj: object, msg: string): void };
  /** For tests (VEILDESK_MEDIA_PLACE_ON): rooms go on this node while its beacon says it has a worker. */
  placeOn?: string | undefined;
}

/**
 * The SFU's part in a deployment of several nodes: every node hosts rooms the lease holder places
 * on it (MediaHost) and says so in its media beacon; the holder places rooms and talks to them
 * (MediaDirectory). Both listen on the node's own channel, `<prefix>media:<nodeId>`.
 */
export class MediaCluster {
  readonly host: MediaHost;
  readonly directory: MediaDirectory;
  private timer?: NodeJS.Timeout;
  private off?: () => void;
  /** The lease token this node last placed rooms under (a new one: it just took the lease). */
  private adoptedToken: number | null = null;

  private constructor(private readonly deps: MediaClusterDeps) {
    this.host = new MediaHost({ link: deps.link, media: deps.media, holderToken: deps.holderToken, log: deps.log });
    this.directory = new MediaDirectory({ link: deps.link, token: deps.token, localRooms: () => deps.media.localRoomCount(), log: deps.log, placeOn: deps.placeOn });
  }

  static async start(deps: MediaClusterDeps): Promise<MediaCluster> {
    const cluster = new MediaCluster(deps);
    cluster.off = await deps.link.subscribe(mediaChannel(deps.link.nodeId), (payload, from) => cluster.receive(payload, from));
    await cluster.beat();
    cluster.timer = setInterval(() => void cluster.beat(), deps.renewMs);
    return cluster;
  }

  private receive(payload: unknown, from: string): void {
    const parsed = mediaMessageSchema.safeParse(payload);
    if (!parsed.success) return this.deps.log.warn({ from }, 'media RPC: a message that is not one was ignored');
    const message = parsed.data;
    if (message.kind === 'req') return void this.host.handle(message, from);
    if (message.kind === 'res') return this.directory.answered(message);
    this.directory.event(message, from);
  }

  /**
   * The beacon (with a worker count of 0 while none runs, so no room is placed here); on the
   * holder, the rooms of older tokens closed once after it took the lease, and the sweep of dead nodes' rooms.
   */
  private async beat(): Promise<void> {
    const { link, media } = this.deps;
    const token = this.deps.token();
    const beacon: MediaBeacon = {
      announced: this.deps.announced,
      workers: media.unavailable() ? 0 : media.workers().length,
      rooms: media.localRoomCount(),
      ...(token !== null ? { holding: token } : {}),
    };
    try {
      await link.redis.set(link.key(beaconKey(link.nodeId)), JSON.stringify(beacon), 'PX', this.deps.ttlMs);
      if (token !== null && token !== this.adoptedToken) {
        this.adoptedToken = token;
        await this.directory.adopt();
      }
      if (token !== null) await this.directory.sweep();
    } catch (err) {
      this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'media beacon: Redis call failed');
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.off?.();
    this.host.close();
    this.directory.close();
    await this.deps.link.redis.del(this.deps.link.key(beaconKey(this.deps.link.nodeId))).catch(() => undefined);
  }
}
