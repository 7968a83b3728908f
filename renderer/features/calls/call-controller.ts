import { type IceServer } from '../../../shared';
import { type IceRestartOptions } from '../../../browser/media/ice-restart-policy';
import { IceRestarter } from '../../../browser/media/ice-restarter';
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
  /** Grace and backoff of ICE restarts (tests shorten them). */
  iceRestart?: IceRestartOptions;
  /** How long the microphone may take to open before the call fails with what to do (default 15 s). */
  micTimeoutMs?: number;
  /**
   * The supervisor's voice the customer hears now (barge, mixed in, not on hold), or null: the
   * recording takes it in so it holds what the customer heard from the agent's side.
   */
  onSentVoice?(voice: MediaStream | null): void;
}

/**
 * A microphone that never opens (a device stuck after sleep, held by another app) must not leave the
 * agent on "starting microphone" for ever: past this the call fails and says what to do.
 */
export const MIC_TIMEOUT_MS = 15_000;

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
  private iceServers: IceServer[] = [];
  /** The current peer has taken an offer; a further offer means the customer started a new peer. */
  private answered = false;
  /** Sent to the customer instead of the microphone while held. */
  private holdTone: { readonly track: MediaStreamTrack; stop(): void } | null = null;
  /** Barge: a supervisor's voice, mixed with the microphone into what the customer hears. */
  private voice: MediaStream | null = null;
  private voiceMix: { readonly track: MediaStreamTrack; close(): void } | null = null;
  /** The voice last reported through onSentVoice. */
  private sentVoice: MediaStream | null = null;
  /**
   * The agent's side decides ICE restarts (the customer's widget never does, so two offers never
   * cross): one restarter (policy and timer) per peer.
   */
  private ice: IceRestarter | null = null;

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
      [mic, iceServers] = await Promise.all([this.microphoneInTime(media), this.options.getIceServers().catch(() => [])]);
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
    this.iceServers = iceServers;
    this.applyTracks();
    await this.createPeerOnce();
  }

  /** The microphone, or an error saying what to do once it took longer than micTimeoutMs; a late one is released. */
  private microphoneInTime(media: CallMedia): Promise<MediaStream> {
    const timeoutMs = this.options.micTimeoutMs ?? MIC_TIMEOUT_MS;
    return settleInTime(
      media.getMicrophone(),
      timeoutMs,
      `The microphone did not start within ${Math.round(timeoutMs / 1000)} s. Close other apps that may hold it or pick another in Settings → Audio, then take the next call.`,
      stopTracks,
    );
  }

  /**
   * Creates the answering peer and feeds it the buffered signals. Also used when the customer's
   * side starts over with a new peer (a page reload or a failed connection): the call goes on, only
   * the media connection is replaced.
   */
  private async createPeer(): Promise<void> {
    const { media } = this.options;
    const mic = this.mic;
    if (!mic || this.done) return;
    let peer: CallPeer;
    try {
      const creating = media.createPeer(
        { stream: mic, iceServers: this.iceServers },
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
          // The media connection dropped, not the call: the server ends calls. Wait for the
          // customer's new offer with a fresh peer.
          onClose: () => {
            if (this.peer === peer) this.dropPeer();
          },
          onError: (err) => {
            if (this.peer !== peer) return;
            (this.options.logger ?? console).warn('[veildesk] call media connection failed; waiting for the customer to reconnect', err);
            this.dropPeer();
          },
          onIceState: (state) => {
            if (this.peer === peer && !this.done) this.ice?.onIceState(state);
          },
          // The customer's audio stopped arriving: the path is cut, seconds before ICE says so.
          onInboundStall: (stalled) => {
            if (this.peer === peer && !this.done) this.ice?.onInboundStall(stalled);
          },
        },
      );
      peer = await this.peerInTime(creating);
    } catch (err) {
      this.fail(errorMessage(err, 'The call could not be set up.'));
      return;
    }
    if (this.done) {
      peer.destroy();
      return;
    }
    this.peer = peer;
    this.answered = false;
    this.resetIce(
      new IceRestarter({
        // The offer goes through call.signal like any other; the customer's peer answers it.
        restartIce: () => peer.restartIce(),
        // Not 'connected': the phase stays connected throughout, so the recording is not restarted.
        onReconnecting: (reconnecting) => {
          if (!this.done) this.options.onEvent({ type: 'media-reconnecting', reconnecting });
        },
        now: () => this.options.now(),
        ...(this.options.iceRestart ? { policy: this.options.iceRestart } : {}),
        logger: this.options.logger ?? console,
      }),
    );
    this.applyHoldTone();
    media.exposePeerConnection?.(peer.peerConnection);
    this.options.onEvent({ type: 'media-ready' });
    const pending = this.buffered;
    this.buffered = [];
    for (const signal of pending) this.signal(signal);
  }

  /** The peer, or an error saying what to do once setting it up took longer than the microphone may; a late one is closed. */
  private peerInTime(creating: CallPeer | Promise<CallPeer>): Promise<CallPeer> {
    return settleInTime(
      Promise.resolve(creating),
      this.options.micTimeoutMs ?? MIC_TIMEOUT_MS,
      'The call could not be set up in time. Check your network connection, then take the next call.',
      (late) => late.destroy(),
    );
  }

  /** Forgets a peer whose connection is gone; the next offer creates a new one. */
  private dropPeer(): void {
    const peer = this.peer;
    this.peer = null;
    this.answered = false;
    this.resetIce(null);
    try {
      peer?.destroy();
    } catch {
      // Already torn down.
    }
    if (peer) this.options.media.exposePeerConnection?.(null);
    this.remote = null;
    this.options.onRemoteStream(null);
    if (!this.done) this.options.onEvent({ type: 'media-lost' });
  }

  /** A signal from the customer (offer, candidate, renegotiation). */
  signal(signal: Signal): void {
    if (this.done) return;
    const isOffer = (signal as { type?: unknown }).type === 'offer';
    if (isOffer && this.peer && this.answered) {
      // The customer started over with a new peer: replace ours, keep the call.
      this.dropPeer();
      this.buffered = [signal];
      void this.createPeerOnce();
      return;
    }
    if (!this.peer) {
      if (this.buffered.length < MAX_BUFFERED_SIGNALS) this.buffered.push(signal);
      if (isOffer && this.mic && this.started) void this.createPeerOnce();
      return;
    }
    if (isOffer) this.answered = true;
    this.feed(signal);
  }

  /** After a dropped peer, the customer's new offer brings up a new one (once, however many signals arrive). */
  private creating: Promise<void> | null = null;
  private createPeerOnce(): Promise<void> {
    this.creating ??= this.createPeer().finally(() => (this.creating = null));
    return this.creating;
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

  /** Barge (a supervisor's voice, sent on to the customer with the microphone) or null to send the microphone alone. */
  setVoice(voice: MediaStream | null): void {
    if (voice === this.voice) return;
    this.voice = voice;
    this.voiceMix?.close();
    this.voiceMix = null;
    this.applyHoldTone();
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
    this.applyHoldTone();
  }

  /**
   * On hold the customer hears the hold tone on the call's sender instead of the microphone (which
   * stays disabled: the recording, which taps it, keeps silence); resuming puts the microphone back,
   * or in barge the mix of microphone and supervisor (outboundTrack).
   */
  private applyHoldTone(): void {
    const warn = (what: string) => (err: unknown) => (this.options.logger ?? console).warn(`[veildesk] ${what}`, err);
    const pc = this.peer?.peerConnection;
    // Test doubles may carry a connection without senders: then there is nothing to switch.
    const sender = (typeof pc?.getSenders === 'function' ? pc.getSenders() : []).find((s) => s.track?.kind === 'audio') ?? null;
    if (this.held && !this.done) {
      if (!this.holdTone && this.options.media.createHoldTone) {
        try {
          this.holdTone = this.options.media.createHoldTone();
        } catch (err) {
          warn('the hold tone could not start; the customer hears silence')(err);
        }
      }
      const tone = this.holdTone?.track;
      if (sender && tone && sender.track !== tone) sender.replaceTrack(tone).catch(warn('could not send the hold tone'));
      // On hold the customer hears the tone, not the supervisor: the recording leaves the voice out too.
      this.reportSentVoice(null);
      return;
    }
    const tone = this.holdTone;
    this.holdTone = null;
    const mic = this.outboundTrack();
    if (sender && mic && sender.track !== mic) {
      // The tone stops once the microphone is back on the sender.
      sender
        .replaceTrack(mic)
        .catch(warn('could not put the microphone back after hold'))
        .finally(() => tone?.stop());
    } else {
      tone?.stop();
    }
    this.reportSentVoice(this.voiceMix && mic === this.voiceMix.track ? this.voice : null);
  }

  private reportSentVoice(voice: MediaStream | null): void {
    if (voice === this.sentVoice) return;
    this.sentVoice = voice;
    this.options.onSentVoice?.(voice);
  }

  /** The microphone, or in barge the mix of the microphone and the supervisor's voice. */
  private outboundTrack(): MediaStreamTrack | null {
    const mic = this.mic;
    if (this.voice && mic && !this.done && this.options.media.mixVoice) {
      try {
        this.voiceMix ??= this.options.media.mixVoice(mic, this.voice);
        return this.voiceMix.track;
      } catch (err) {
        (this.options.logger ?? console).warn('[veildesk] the supervisor could not be mixed into the call; the customer hears the agent alone', err);
      }
    }
    return mic?.getAudioTracks()[0] ?? null;
  }

  // ---- ICE restart: the media path broke, the call goes on ----

  private resetIce(next: IceRestarter | null): void {
    this.ice?.stop();
    this.ice = next;
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
    this.resetIce(null);
    try {
      peer?.destroy();
    } catch {
      // Already torn down.
    }
    if (peer) this.options.media.exposePeerConnection?.(null);
    if (this.mic) stopTracks(this.mic);
    this.mic = null;
    this.holdTone?.stop();
    this.holdTone = null;
    this.voiceMix?.close();
    this.voiceMix = null;
    this.voice = null;
    this.reportSentVoice(null);
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

/** `work`'s value, or `message` as an error once `timeoutMs` passed first; a value that comes too late goes to `release`. */
function settleInTime<T>(work: Promise<T>, timeoutMs: number, message: string, release: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new Error(message));
    }, timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (late) release(value);
        else resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
