import { type IceServer } from '../../../shared';
import { type MediaSignaling } from '../../media/sfu/signaling';

/**
 * What monitoring needs from the SFU on the client: the agent publishes one audio track into a
 * media room; a listener receives it. The real one (sfu-session.ts) uses the app's SFU client
 * (renderer/media/sfu, loaded on demand); tests pass a fake.
 */

export interface Publication {
  /** Stops sending the track at once (the producer pauses at the source). */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface Subscription {
  close(): void;
}

export interface MonitorSfu {
  publish(roomId: string, track: MediaStreamTrack): Promise<Publication>;
  /** `onStream` gets the received audio (again after the agent's app publishes anew). */
  listen(roomId: string, handlers: { onStream(stream: MediaStream): void; onClosed(message: string): void }): Promise<Subscription>;
}

/** What the real implementation runs on: the store's one media signaling and the ICE servers. */
export interface MonitorSfuEnv {
  signaling: MediaSignaling;
  iceServers(): Promise<IceServer[]>;
}
