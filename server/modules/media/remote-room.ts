import type { DtlsParameters, MediaCloseReason, MediaKind, RtpCapabilities, RtpParameters, TransportDirection } from '../../../shared/api/ws-media';
import { DomainError } from '../../kernel/errors';
import type { MediaEndpoint, Room, RoomPolicy } from './media-room';
import type { MediaOp } from './media-rpc';

/** How a remote room reaches its node (MediaDirectory). */
export interface RoomLine {
  request(op: MediaOp, opts: { endpoint?: MediaEndpoint; userId?: string; role?: 'producer' | 'consumer' | null }, args: unknown[]): Promise<void>;
  /** The endpoint's traffic is over: its id may be forgotten once the node has answered. */
  release(endpoint: MediaEndpoint): void;
  /** The room is over and nothing more of it will come back from the node. */
  finished(): void;
}

const CLOSED_WORDS = 'The media server restarted. Start again, or join again when it is back.';

/**
 * A room whose router is on another node, as the lease holder sees it: the same methods as a
 * MediaRoom. The owner's policy is asked here, on the holder, before every step, and the answer
 * travels with the request; the other node's room follows it. Frames for a connection come back
 * as events (MediaDirectory writes them to the connection).
 */
export class RemoteRoom implements Room {
  private closed = false;
  private held = false;
  /** Connections that sent a request into the room, and their user. */
  private readonly joined = new Map<MediaEndpoint, string>();

  constructor(
    readonly id: string,
    readonly nodeId: string,
    private readonly policy: RoomPolicy,
    private readonly line: RoomLine,
    private readonly onGone: (room: RemoteRoom) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  private roleOf(userId: string, endpoint: MediaEndpoint): 'producer' | 'consumer' | null {
    if (this.policy.mayProduce(userId, endpoint)) return 'producer';
    if (this.policy.mayConsume(userId, endpoint)) return 'consumer';
    return null;
  }

  private async step(op: MediaOp, userId: string, endpoint: MediaEndpoint, args: unknown[]): Promise<void> {
    if (this.closed) throw new DomainError('not_found', 'This media room has closed.');
    const role = this.roleOf(userId, endpoint);
    // Never known to the room and not allowed now: refused here, as a MediaRoom refuses it.
    if (!role && !this.joined.has(endpoint)) throw new DomainError('forbidden', 'You may not send or receive media in this room.');
    this.joined.set(endpoint, userId);
    await this.line.request(op, { endpoint, userId, role }, args);
  }

  join(userId: string, endpoint: MediaEndpoint, ref?: string): Promise<void> {
    return this.step('join', userId, endpoint, [ref]);
  }

  createTransport(userId: string, endpoint: MediaEndpoint, direction: TransportDirection, ref?: string): Promise<void> {
    return this.step('createTransport', userId, endpoint, [direction, ref]);
  }

  connectTransport(userId: string, endpoint: MediaEndpoint, transportId: string, dtlsParameters: DtlsParameters, ref?: string): Promise<void> {
    return this.step('connectTransport', userId, endpoint, [transportId, dtlsParameters, ref]);
  }

  produce(userId: string, endpoint: MediaEndpoint, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, ref?: string): Promise<void> {
    return this.step('produce', userId, endpoint, [transportId, kind, rtpParameters, ref]);
  }

  consume(userId: string, endpoint: MediaEndpoint, transportId: string, rtpCapabilities: RtpCapabilities, ref?: string): Promise<void> {
    return this.step('consume', userId, endpoint, [transportId, rtpCapabilities, ref]);
  }

  resumeConsumer(userId: string, endpoint: MediaEndpoint, consumerId: string): Promise<void> {
    return this.step('resumeConsumer', userId, endpoint, [consumerId]);
  }

  leave(endpoint: MediaEndpoint): void {
    const userId = this.joined.get(endpoint);
    if (userId === undefined || this.closed) return;
    this.joined.delete(endpoint);
    this.fire('leave', { endpoint, userId }, [], [endpoint]);
  }

  dropUser(userId: string, reason: MediaCloseReason): void {
    if (this.closed) return;
    const dropped = [...this.joined].filter(([, user]) => user === userId).map(([endpoint]) => endpoint);
    for (const endpoint of dropped) this.joined.delete(endpoint);
    this.fire('dropUser', { userId }, [reason], dropped);
  }

  dropEndpoint(endpoint: MediaEndpoint, reason: MediaCloseReason): void {
    const userId = this.joined.get(endpoint);
    if (userId === undefined || this.closed) return;
    this.joined.delete(endpoint);
    this.fire('dropEndpoint', { endpoint, userId }, [reason], [endpoint]);
  }

  dropClosedEndpoints(userId?: string): void {
    for (const [endpoint, user] of [...this.joined]) if ((!userId || user === userId) && !endpoint.isOpen()) this.leave(endpoint);
  }

  async setPaused(paused: boolean): Promise<void> {
    this.held = paused;
    if (this.closed) return;
    await this.line.request('setPaused', {}, [paused]);
  }

  close(reason: MediaCloseReason): void {
    if (this.closed) return;
    // The node tells each connection (its frames come back before its answer), then ids are forgotten.
    this.fire('close', {}, [reason], [...this.joined.keys()], true);
    this.gone(reason);
  }

  /** The node closed the room by itself (its worker died), or stopped answering. */
  closedThere(reason: MediaCloseReason, tellConnections: boolean): void {
    if (this.closed) return;
    // The node is gone: nobody else will tell the connections.
    if (tellConnections) for (const endpoint of this.joined.keys()) endpoint.send({ type: 'media.room.closed', roomId: this.id, reason, message: CLOSED_WORDS });
    for (const endpoint of this.joined.keys()) this.line.release(endpoint);
    this.line.finished();
    this.gone(reason);
  }

  private gone(reason: MediaCloseReason): void {
    this.closed = true;
    this.joined.clear();
    this.onGone(this);
    this.policy.onClosed?.(reason);
  }

  /** A request nobody waits for (the owner's drops and closes); a failure is the node's to log. */
  private fire(op: MediaOp, opts: { endpoint?: MediaEndpoint; userId?: string }, args: unknown[], release: MediaEndpoint[] = [], last = false): void {
    void this.line
      .request(op, opts, args)
      .catch(() => undefined)
      .finally(() => {
        for (const endpoint of release) this.line.release(endpoint);
        if (last) this.line.finished();
      });
  }

  consumingUsers(): string[] {
    return [...new Set([...this.joined].filter(([endpoint, user]) => this.policy.mayConsume(user, endpoint)).map(([, user]) => user))];
  }

  producerPaused(): boolean | null {
    return this.held;
  }
}
