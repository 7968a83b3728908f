import { type ClientMessage, type ServerMessageOf } from '../../../shared';

/**
 * What monitoring needs from the SFU on the client: the agent publishes one audio track into a
 * media room; a listener receives it. The real one (mediasoup-sfu.ts, mediasoup-client) loads on
 * demand; tests pass a fake. Signaling goes over the app's WebSocket (media.* messages).
 */

type MediaReply = 'media.joined' | 'media.transport.created' | 'media.transport.connected' | 'media.produced';
export type MediaPush = 'media.consumer' | 'media.consumer.closed' | 'media.room.closed';

export interface MediaSignaling {
  /** Sends a request with an id and resolves with the reply frame carrying it back (rejects on its error frame). */
  request<T extends MediaReply>(message: ClientMessage, reply: T): Promise<ServerMessageOf<T>>;
  send(message: ClientMessage): boolean;
  /** Frames the server pushes for one room; returns the unsubscribe. */
  onFrame<T extends MediaPush>(type: T, roomId: string, fn: (frame: ServerMessageOf<T>) => void): () => void;
}

export interface Publication {
  /** Stops sending at once (no RTP while paused). */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface Subscription {
  close(): void;
}

export interface MonitorSfu {
  publish(roomId: string, track: MediaStreamTrack, signaling: MediaSignaling): Promise<Publication>;
  /** `onStream` gets the received audio (again after the agent's app publishes anew), null when it stops. */
  listen(roomId: string, signaling: MediaSignaling, handlers: { onStream(stream: MediaStream | null): void; onClosed(message: string): void }): Promise<Subscription>;
}
