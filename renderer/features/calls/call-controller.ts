import { type IceServer } from '../../../shared';
import { type CallMedia, type CallPeer, type Signal } from '../../media/call-peer-types';
import { type CallEvent } from './call-machine';

export interface CallControllerOptions {
  interactionId: string;
  media: CallMedia;
  getIceServers(): Promise<IceServer[]>;
  /** Relays our signal to the customer (call.signal). */
  sendSignal(signal: Signal): void;
  onEvent(event: CallEvent): void;
  onRemoteStream(stream: MediaStream | null): void;
  now(): number;
  logger?: Pick<Console, 'warn'>;
}

/** Signals that arrive before the peer exists are kept, up to this many (offer + trickled candidates). */
const MAX_BUFFERED_SIGNALS = 200;

/**
 * Owns the resources of one call: microphone, peer, remote stream. Signals from the customer may
 * arrive before the microphone is granted; they are buffered and fed in order once the peer exists.
 * Everything reports through `onEvent`; the store turns events into state with the call machine.
 */
export class CallController {
  private peer: CallPeer | null = null;
  private mic: MediaStream | null = null;
  private remote: MediaStream | null = null;
  private buffered: Signal[] = [];
  private muted = false;
  private held = false;
  private done = false;
  private started = false;

  constructor(private readonly options: CallControllerOptions) {}

  get isActive(): boolean {
    return this.started && !this.done;
  }

  /** Gets the microphone and ICE servers, then creates the answering peer. Safe to call once. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { media } = this.options;
    let mic: MediaStream;
    let iceServers: IceServer[];
    try {
      [mic, iceServers] = await Promise.all([media.getMicrophone(), this.options.getIceServers().catch(() => [])]);
    } catch (err) {
      this.fail(errorMessage(err, 'The microphone could not be started.'));
      return;
    }
    if (this.done) {
      // Ended while we waited for the microphone: release it at once.
      stopTracks(mic);
      return;
    }
    this.mic = mic;
    this.applyTracks();

    let peer: CallPeer;
    try {
      peer = await media.createPeer(
        { stream: mic, iceServers },
        {
          onSignal: (signal) => {
            if (this.peer === peer) this.options.sendSignal(signal);
          },
          onStream: (stream) => {
            if (this.peer !== peer) return;
            this.remote = stream;
            this.applyTracks();
            this.options.onRemoteStream(stream);
          },
          onConnect: () => {
            if (this.peer === peer) this.options.onEvent({ type: 'connected', at: this.options.now() });
          },
          onClose: () => {
            if (this.peer === peer) this.finish({ type: 'ended', at: this.options.now() });
          },
          onError: (err) => {
            if (this.peer === peer) this.fail(errorMessage(err, 'The call connection failed.'));
          },
        },
      );
    } catch (err) {
      this.fail(errorMessage(err, 'The call could not be set up.'));
      return;
    }
    if (this.done) {
      peer.destroy();
      return;
    }
    this.peer = peer;
    media.exposePeerConnection?.(peer.peerConnection);
    this.options.onEvent({ type: 'media-ready' });
    const pending = this.buffered;
    this.buffered = [];
    for (const signal of pending) this.feed(signal);
  }

  /** A signal from the customer (offer, candidate, renegotiation). */
  signal(signal: Signal): void {
    if (this.done) return;
    if (!this.peer) {
      if (this.buffered.length < MAX_BUFFERED_SIGNALS) this.buffered.push(signal);
      return;
    }
    this.feed(signal);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.applyTracks();
    this.options.onEvent({ type: 'mute', muted });
  }

  /** Hold silences both directions: our microphone and the customer's audio on our side. */
  setHeld(held: boolean): void {
    this.held = held;
    this.applyTracks();
    this.options.onEvent({ type: 'hold', held });
  }

  /** Hang-up or a server-side end: release everything. */
  end(): void {
    this.finish({ type: 'ended', at: this.options.now() });
  }

  private feed(signal: Signal): void {
    try {
      this.peer?.signal(signal);
    } catch (err) {
      // A malformed signal must not kill a working call; the customer's side will retry or end it.
      (this.options.logger ?? console).warn('[veildesk] ignored a call signal', err);
    }
  }

  private applyTracks(): void {
    const outbound = !this.muted && !this.held;
    for (const track of this.mic?.getAudioTracks() ?? []) track.enabled = outbound;
    for (const track of this.remote?.getAudioTracks() ?? []) track.enabled = !this.held;
  }

  private fail(message: string): void {
    this.finish({ type: 'failed', message, at: this.options.now() });
  }

  private finish(event: CallEvent): void {
    if (this.done) return;
    this.done = true;
    this.started = true;
    const peer = this.peer;
    this.peer = null;
    this.buffered = [];
    try {
      peer?.destroy();
    } catch {
      // Already torn down.
    }
    if (peer) this.options.media.exposePeerConnection?.(null);
    if (this.mic) stopTracks(this.mic);
    this.mic = null;
    this.remote = null;
    this.options.onRemoteStream(null);
    this.options.onEvent(event);
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function errorMessage(err: unknown, fallback: string): string {
  return err instanceof Error && err.message ? err.message : fallback;
}
