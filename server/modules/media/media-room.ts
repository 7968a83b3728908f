import type { types } from 'mediasoup';
import type { ServerMessage } from '../../../shared/api/ws';
import type { DtlsParameters, MediaCloseReason, MediaKind, RtpCapabilities, RtpParameters, TransportDirection } from '../../../shared/api/ws-media';
import { DomainError } from '../../kernel/errors';

/** One connection as a room sees it (the same object every time for the same connection). */
export interface MediaEndpoint {
  send(message: ServerMessage): void;
  isOpen(): boolean;
}

/**
 * What the room's owner decides. Asked again at every step (join, transport, produce, consume,
 * resume), so a right taken away stops the next step even before the owner drops the user.
 */
export interface RoomPolicy {
  /** Kinds the producer may send: a share is video, a monitored call audio. */
  kinds: MediaKind[];
  mayProduce(userId: string, endpoint: MediaEndpoint): boolean;
  mayConsume(userId: string, endpoint: MediaEndpoint): boolean;
  /** The room closed by itself or by its owner (reason says which). */
  onClosed?(reason: MediaCloseReason): void;
}

/**
 * A media room as its callers use it (the WebSocket handlers, share rooms, monitoring): a router
 * on this node (`MediaRoom`) or, with several nodes, one on another node (`RemoteRoom`, which sends
 * each call there over the media RPC). The owner's policy is asked on the lease holder either way.
 */
export interface Room {
  readonly id: string;
  readonly isClosed: boolean;
  join(userId: string, endpoint: MediaEndpoint, ref?: string): void | Promise<void>;
  createTransport(userId: string, endpoint: MediaEndpoint, direction: TransportDirection, ref?: string): Promise<void>;
  connectTransport(userId: string, endpoint: MediaEndpoint, transportId: string, dtlsParameters: DtlsParameters, ref?: string): Promise<void>;
  produce(userId: string, endpoint: MediaEndpoint, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, ref?: string): Promise<void>;
  consume(userId: string, endpoint: MediaEndpoint, transportId: string, rtpCapabilities: RtpCapabilities, ref?: string): Promise<void>;
  resumeConsumer(userId: string, endpoint: MediaEndpoint, consumerId: string): Promise<void>;
  leave(endpoint: MediaEndpoint): void;
  dropUser(userId: string, reason: MediaCloseReason): void;
  dropEndpoint(endpoint: MediaEndpoint, reason: MediaCloseReason): void;
  dropClosedEndpoints(userId?: string): void;
  setPaused(paused: boolean): Promise<void>;
  close(reason: MediaCloseReason): void;
  /** For tests and diagnostics: users with a live consumer (a remote room: those the holder let consume). */
  consumingUsers(): string[];
  /** For tests and diagnostics: whether the producer is held (a remote room: what was last asked). */
  producerPaused(): boolean | null;
}

/** Options for every WebRtcTransport (listen addresses in the form the running mediasoup takes). */
export type TransportOptions = Record<string, unknown>;

interface Peer {
  userId: string;
  endpoint: MediaEndpoint;
  role: 'producer' | 'consumer';
  transports: Map<string, types.WebRtcTransport>;
  producer: types.Producer | null;
  consumers: Map<string, types.Consumer>;
  /** The consumer's receive transport and capabilities, kept so a new producer reaches it unasked. */
  wants: { transportId: string; rtpCapabilities: RtpCapabilities; ref?: string | undefined } | null;
  /** Consumer creation for this peer, one at a time (a consume request and a new producer can race). */
  consuming: Promise<void>;
}

const MAX_PEERS = 200;

const CLOSE_WORDS: Record<MediaCloseReason, string> = {
  revoked: 'You no longer have access to this media.',
  ended: 'The media session ended.',
  left: 'You left.',
  producer_closed: 'The sender stopped sending.',
  media_server_restarted: 'The media server restarted. Start again, or join again when it is back.',
  replaced: 'This media is open in another window.',
};

/**
 * A media room: one mediasoup router with one producing side and the consumers its policy allows.
 * Generic over what it carries: a screen share (video, the share's joined viewers) or a monitored
 * call (audio, the supervisors the monitoring policy allows).
 */
export class MediaRoom implements Room {
  private readonly peers = new Map<MediaEndpoint, Peer>();
  private producer: types.Producer | null = null;
  private closed = false;
  /**
   * Whether the room's owner holds its producer (setPaused), so one that arrives later starts held.
   * Only what the owner last asked: the room knows no calls; whether a call is paused is secure
   * pause's (server/modules/secure-pause), and monitoring decides what that holds.
   */
  private held = false;

  constructor(
    readonly id: string,
    readonly router: types.Router,
    readonly worker: types.Worker,
    private readonly policy: RoomPolicy,
    private readonly transportOptions: TransportOptions,
    private readonly onGone: (room: MediaRoom) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  get hasProducer(): boolean {
    return this.producer !== null && !this.producer.closed;
  }

  /** User ids with at least one live consumer. */
  consumingUsers(): string[] {
    return [...new Set([...this.peers.values()].filter((p) => p.consumers.size > 0).map((p) => p.userId))];
  }

  /** Whether the room's current producer is paused on the server; null without one (for tests and diagnostics). */
  producerPaused(): boolean | null {
    return this.producer && !this.producer.closed ? this.producer.paused : null;
  }

  // ---- requests from a connection ----

  join(userId: string, endpoint: MediaEndpoint, ref?: string): void {
    this.assertOpen();
    const role = this.roleOf(userId, endpoint);
    if (!role) throw new DomainError('forbidden', 'You may not send or receive media in this room.');
    let peer = this.peers.get(endpoint);
    if (!peer || peer.userId !== userId || peer.role !== role) {
      if (peer) this.closePeer(peer);
      if (this.peers.size >= MAX_PEERS) throw new DomainError('conflict', 'This media room is full.');
      peer = { userId, endpoint, role, transports: new Map(), producer: null, consumers: new Map(), wants: null, consuming: Promise.resolve() };
      this.peers.set(endpoint, peer);
    }
    endpoint.send({
      type: 'media.joined',
      roomId: this.id,
      role,
      kinds: this.policy.kinds,
      routerRtpCapabilities: this.router.rtpCapabilities as RtpCapabilities,
      ...(ref ? { ref } : {}),
    });
  }

  async createTransport(userId: string, endpoint: MediaEndpoint, direction: TransportDirection, ref?: string): Promise<void> {
    const peer = this.allowedPeer(userId, endpoint);
    if (direction === 'send' && peer.role !== 'producer') throw new DomainError('forbidden', 'Only the sending side may open a send transport here.');
    // One transport per direction: a new one replaces the old (a reconnecting client starts over).
    for (const t of [...peer.transports.values()]) if ((t.appData as { direction?: string }).direction === direction) this.closeTransport(peer, t);
    const transport = await this.router.createWebRtcTransport({ ...this.transportOptions, appData: { direction } } as unknown as types.WebRtcTransportOptions);
    if (this.closed || this.peers.get(endpoint) !== peer) {
      transport.close();
      throw new DomainError('conflict', 'The media room closed meanwhile.');
    }
    peer.transports.set(transport.id, transport);
    transport.on('dtlsstatechange', (state: string) => {
      if (state === 'failed' || state === 'closed') this.closeTransport(peer, transport);
    });
    endpoint.send({
      type: 'media.transport.created',
      roomId: this.id,
      direction,
      transportId: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates as never,
      dtlsParameters: transport.dtlsParameters as DtlsParameters,
      ...(ref ? { ref } : {}),
    });
  }

  async connectTransport(userId: string, endpoint: MediaEndpoint, transportId: string, dtlsParameters: DtlsParameters, ref?: string): Promise<void> {
    const peer = this.allowedPeer(userId, endpoint);
    const transport = this.transportOf(peer, transportId);
    await this.mediasoupCall(() => transport.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters }));
    endpoint.send({ type: 'media.transport.connected', roomId: this.id, transportId, ...(ref ? { ref } : {}) });
  }

  async produce(userId: string, endpoint: MediaEndpoint, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, ref?: string): Promise<void> {
    const peer = this.allowedPeer(userId, endpoint);
    if (peer.role !== 'producer') throw new DomainError('forbidden', 'Only the sending side may produce in this room.');
    if (!this.policy.kinds.includes(kind)) throw new DomainError('bad_request', `This room carries ${this.policy.kinds.join(' and ')} only.`);
    const transport = this.transportOf(peer, transportId);
    // A producer that arrives while the room is held (the sender started over mid-pause) starts paused.
    const producer = await this.mediasoupCall(() => transport.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters, paused: this.held }));
    if (this.closed || this.peers.get(endpoint) !== peer) {
      producer.close();
      throw new DomainError('conflict', 'The media room closed meanwhile.');
    }
    // One producer per room: a new one (the sender started over) replaces the old.
    const previous = this.producer;
    this.producer = producer;
    peer.producer = producer;
    if (previous && !previous.closed) previous.close();
    producer.on('transportclose', () => {
      if (this.producer === producer) this.producer = null;
    });
    endpoint.send({ type: 'media.produced', roomId: this.id, producerId: producer.id, ...(ref ? { ref } : {}) });
    // Consumers that asked before there was anything to consume (or lost the old producer) get it now.
    for (const other of this.peers.values()) {
      if (other.role === 'consumer' && other.wants) await this.createConsumer(other, other.wants.ref).catch(() => undefined);
    }
  }

  async consume(userId: string, endpoint: MediaEndpoint, transportId: string, rtpCapabilities: RtpCapabilities, ref?: string): Promise<void> {
    const peer = this.allowedPeer(userId, endpoint);
    if (peer.role !== 'consumer') throw new DomainError('forbidden', 'The sending side does not consume in this room.');
    this.transportOf(peer, transportId);
    peer.wants = { transportId, rtpCapabilities, ...(ref ? { ref } : {}) };
    // Without a producer yet, the answer comes when it appears.
    if (this.hasProducer) await this.createConsumer(peer, ref);
  }

  async resumeConsumer(userId: string, endpoint: MediaEndpoint, consumerId: string): Promise<void> {
    const peer = this.allowedPeer(userId, endpoint);
    const consumer = peer.consumers.get(consumerId);
    if (!consumer) throw new DomainError('not_found', 'No such consumer here; it may have been closed.');
    await this.mediasoupCall(() => consumer.resume());
  }

  /** This connection leaves the room. */
  leave(endpoint: MediaEndpoint): void {
    const peer = this.peers.get(endpoint);
    if (peer) this.closePeer(peer);
  }

  // ---- from the room's owner ----

  /** Closes every connection of one user in the room at once, telling each why (revoked, left…). */
  dropUser(userId: string, reason: MediaCloseReason): void {
    for (const peer of [...this.peers.values()]) if (peer.userId === userId) this.dropPeer(peer, reason);
  }

  /** Closes one connection's part of the room (e.g. the same user now watches from another window). */
  dropEndpoint(endpoint: MediaEndpoint, reason: MediaCloseReason): void {
    const peer = this.peers.get(endpoint);
    if (peer) this.dropPeer(peer, reason);
  }

  /** Drops connections that are no longer open (called when a user's connection closed). */
  dropClosedEndpoints(userId?: string): void {
    for (const peer of [...this.peers.values()]) if ((!userId || peer.userId === userId) && !peer.endpoint.isOpen()) this.closePeer(peer);
  }

  /** Pauses or resumes the producer on the server (the owner's hold): nothing reaches any consumer while paused. */
  async setPaused(paused: boolean): Promise<void> {
    this.held = paused;
    const producer = this.producer;
    if (!producer || producer.closed) return;
    await (paused ? producer.pause() : producer.resume());
  }

  /** Closes the room: every connection is told, then the router (and everything on it) closes. */
  close(reason: MediaCloseReason): void {
    if (this.closed) return;
    this.closed = true;
    for (const peer of [...this.peers.values()]) this.dropPeer(peer, reason);
    this.producer = null;
    if (!this.router.closed) this.router.close();
    this.onGone(this);
    this.policy.onClosed?.(reason);
  }

  // ---- internals ----

  private roleOf(userId: string, endpoint: MediaEndpoint): 'producer' | 'consumer' | null {
    if (this.policy.mayProduce(userId, endpoint)) return 'producer';
    if (this.policy.mayConsume(userId, endpoint)) return 'consumer';
    return null;
  }

  private assertOpen(): void {
    if (this.closed) throw new DomainError('not_found', 'This media room has closed.');
  }

  /** The connection's peer, after checking again that its user still has its right. */
  private allowedPeer(userId: string, endpoint: MediaEndpoint): Peer {
    this.assertOpen();
    const peer = this.peers.get(endpoint);
    if (!peer || peer.userId !== userId) {
      if (!this.roleOf(userId, endpoint)) throw new DomainError('forbidden', 'You may not send or receive media in this room.');
      throw new DomainError('conflict', 'Join the media room first (media.join).');
    }
    if (this.roleOf(userId, endpoint) !== peer.role) {
      this.dropPeer(peer, 'revoked');
      throw new DomainError('forbidden', 'You may no longer send or receive media in this room.');
    }
    return peer;
  }

  private transportOf(peer: Peer, transportId: string): types.WebRtcTransport {
    const transport = peer.transports.get(transportId);
    if (!transport || transport.closed) throw new DomainError('not_found', 'No such transport here; create one with media.transport.create.');
    return transport;
  }

  /** Creates the peer's consumer of the current producer, after any creation already running for it. */
  private createConsumer(peer: Peer, ref?: string): Promise<void> {
    const run = peer.consuming.then(() => this.createConsumerNow(peer, ref));
    peer.consuming = run.catch(() => undefined);
    return run;
  }

  private async createConsumerNow(peer: Peer, ref?: string): Promise<void> {
    const producer = this.producer;
    const wants = peer.wants;
    if (!producer || producer.closed || !wants) return;
    // Already consuming this producer: the client has its media.consumer.
    if ([...peer.consumers.values()].some((c) => !c.closed && c.producerId === producer.id)) return;
    if (!this.policy.mayConsume(peer.userId, peer.endpoint)) return this.dropPeer(peer, 'revoked');
    const transport = peer.transports.get(wants.transportId);
    if (!transport || transport.closed) return;
    const caps = wants.rtpCapabilities as types.RtpCapabilities;
    if (!this.router.canConsume({ producerId: producer.id, rtpCapabilities: caps })) {
      throw new DomainError('bad_request', 'Your browser cannot receive this media (no common codec).');
    }
    for (const old of [...peer.consumers.values()]) old.close();
    peer.consumers.clear();
    const consumer = await this.mediasoupCall(() => transport.consume({ producerId: producer.id, rtpCapabilities: caps, paused: true }));
    if (this.closed || this.peers.get(peer.endpoint) !== peer || !this.policy.mayConsume(peer.userId, peer.endpoint)) {
      consumer.close();
      return;
    }
    peer.consumers.set(consumer.id, consumer);
    wants.ref = undefined;
    const gone = (reason: MediaCloseReason) => {
      if (!peer.consumers.delete(consumer.id)) return;
      peer.endpoint.send({ type: 'media.consumer.closed', roomId: this.id, consumerId: consumer.id, reason });
    };
    consumer.on('producerclose', () => gone('producer_closed'));
    consumer.on('transportclose', () => void peer.consumers.delete(consumer.id));
    peer.endpoint.send({
      type: 'media.consumer',
      roomId: this.id,
      consumerId: consumer.id,
      producerId: producer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as RtpParameters,
      ...(ref ? { ref } : {}),
    });
  }

  private closeTransport(peer: Peer, transport: types.WebRtcTransport): void {
    peer.transports.delete(transport.id);
    if (!transport.closed) transport.close();
    for (const [id, consumer] of peer.consumers) if (consumer.closed) peer.consumers.delete(id);
    if (peer.producer?.closed) {
      if (this.producer === peer.producer) this.producer = null;
      peer.producer = null;
    }
  }

  /** Closes a peer's transports (and so its producer and consumers) without a message. */
  private closePeer(peer: Peer): void {
    if (this.peers.get(peer.endpoint) === peer) this.peers.delete(peer.endpoint);
    for (const transport of [...peer.transports.values()]) this.closeTransport(peer, transport);
    peer.consumers.clear();
    peer.wants = null;
  }

  /** Closes a peer and tells its connection the room is gone for it. */
  private dropPeer(peer: Peer, reason: MediaCloseReason): void {
    this.closePeer(peer);
    peer.endpoint.send({ type: 'media.room.closed', roomId: this.id, reason, message: CLOSE_WORDS[reason] });
  }

  /** mediasoup rejects bad parameters with TypeError: that is the client's mistake, not a crash. */
  private async mediasoupCall<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new DomainError('bad_request', `The media server refused the parameters: ${message.slice(0, 200)}`);
    }
  }
}
