import type { WidgetApi } from './api';
import type { CallModule, CallPeerHandle, LoadCallModule, SignalData } from './call-types';
import type { CallView, SnapshotStore, WidgetSnapshot } from './snapshot';
import { messageOf } from './start-screen';

/**
 * The call side of a conversation: the microphone, the customer's peer (the customer makes the
 * offer, see call/call.ts), re-offers after a lost peer, hold and mute on the mic track.
 */

const MAX_PEER_RETRIES = 3;
/**
 * An offer the agent's app never answers (it was reloading when the offer went out, and the server
 * relays signals only to connected windows) is given up after this long and made again.
 */
export const PEER_ANSWER_TIMEOUT_MS = 15_000;
const MAX_BUFFERED_SIGNALS = 64;

export interface CallContext {
  store: SnapshotStore;
  api: Pick<WidgetApi, 'iceServers'>;
  /** The conversation's customer token (TURN credentials are issued against it). */
  token(): string | null;
  loadCall?: LoadCallModule;
  /** The conversation ended or cannot continue. */
  isOver(): boolean;
  /** Relays our offer or ICE candidate to the agent (call.signal). */
  sendSignal(signal: SignalData): void;
}

export class CallSession {
  private callModule: CallModule | null = null;
  private localStream: MediaStream | null = null;
  private peer: CallPeerHandle | null = null;
  private peerStarting = false;
  private peerFailures = 0;
  private peerRetryTimer: ReturnType<typeof setTimeout> | null = null;
  private peerAnswerTimer: ReturnType<typeof setTimeout> | null = null;
  private iceServers: RTCIceServer[] = [];
  private bufferedSignals: SignalData[] = [];

  constructor(private readonly ctx: CallContext) {}

  private get s(): WidgetSnapshot {
    return this.ctx.store.snapshot;
  }

  private setCall(patch: Partial<CallView>): void {
    this.ctx.store.setCall(patch);
  }

  toggleMute(): void {
    this.setCall({ muted: !this.s.call.muted });
    this.applyTrackState();
  }

  /** After a failure (mic blocked, audio lost): try again from a click, which browsers want for the mic prompt. */
  retryAudio(): void {
    this.peerFailures = 0;
    this.setCall({ error: null });
    void this.ensurePeer();
  }

  /** The agent answered or holds (customer.state connected / on_hold): mic state, and a peer if there is none. */
  onConnectedState(): void {
    this.applyTrackState();
    if (!this.peer && !this.peerStarting && this.peerRetryTimer === null && this.s.call.status !== 'failed') void this.ensurePeer();
  }

  async acquireMicrophone(): Promise<MediaStream> {
    if (this.localStream) return this.localStream;
    const module = await this.loadCallModule();
    this.localStream = await module.acquireMicrophone();
    this.applyTrackState();
    return this.localStream;
  }

  onRemoteSignal(signal: unknown): void {
    if (typeof signal !== 'object' || signal === null) return;
    if (this.peer) {
      this.peer.signal(signal as SignalData);
      return;
    }
    if (this.bufferedSignals.length < MAX_BUFFERED_SIGNALS) this.bufferedSignals.push(signal as SignalData);
  }

  stopLocalStream(): void {
    for (const t of this.localStream?.getTracks() ?? []) t.stop();
    this.localStream = null;
  }

  /** Hangs up: the peer, its timers and the microphone. */
  stop(): void {
    if (this.peerRetryTimer) clearTimeout(this.peerRetryTimer);
    this.peerRetryTimer = null;
    this.clearAnswerTimer();
    const peer = this.peer;
    this.peer = null;
    peer?.destroy();
    this.stopLocalStream();
    this.bufferedSignals = [];
  }

  /** Hangs up and stops playing the agent's audio. */
  teardown(): void {
    this.stop();
    if (this.s.call.remoteStream) this.setCall({ remoteStream: null });
  }

  /** A new conversation starts with a fresh set of automatic re-offers. */
  forgetFailures(): void {
    this.peerFailures = 0;
  }

  // ---- internals ----

  private async loadCallModule(): Promise<CallModule> {
    if (this.callModule) return this.callModule;
    if (!this.ctx.loadCall) throw new Error('Calls are not available in this widget.');
    try {
      this.callModule = await this.ctx.loadCall();
    } catch {
      throw new Error('The call feature could not be loaded. Check your connection and reload the page.');
    }
    return this.callModule;
  }

  /** The customer creates the offer (see call/call.ts): once connected, build the peer. */
  private async ensurePeer(): Promise<void> {
    if (this.peer || this.peerStarting || this.ctx.isOver()) return;
    const session = this.s.session;
    const state = this.s.customerState?.state;
    if (!session || session.kind !== 'call' || (state !== 'connected' && state !== 'on_hold')) return;
    this.peerStarting = true;
    try {
      let stream: MediaStream;
      try {
        if (!this.localStream) this.setCall({ status: 'mic' });
        stream = await this.acquireMicrophone();
      } catch (err) {
        this.setCall({ status: 'failed', error: messageOf(err) });
        return;
      }
      // Each peer start asks again: the TURN credential in the answer expires (GET /api/ice-servers).
      try {
        const token = this.ctx.token();
        this.iceServers = token ? await this.ctx.api.iceServers(token) : [];
      } catch {
        this.iceServers = []; // same network as the server (or TURN-less setups) still connect
      }
      const module = await this.loadCallModule();
      if (this.ctx.isOver() || this.s.session?.interactionId !== session.interactionId) return;
      this.bufferedSignals = []; // anything before our offer belongs to an older negotiation
      this.setCall({ status: 'connecting', error: null });
      // "Reconnecting audio…" while ICE is broken or the agent's audio has stopped arriving (not on
      // hold: then the agent's side may send nothing worth hearing, and the line says "On hold").
      const path = { iceBroken: false, stalled: false };
      const showPath = (): void => {
        if (this.peer !== handle) return;
        const status = this.s.call.status;
        const broken = path.iceBroken || (path.stalled && this.s.customerState?.state !== 'on_hold');
        if (broken && status === 'connected') this.setCall({ status: 'reconnecting' });
        if (!broken && status === 'reconnecting') this.setCall({ status: 'connected', error: null });
      };
      const handle: CallPeerHandle = module.createPeer({
        stream,
        iceServers: this.iceServers,
        onSignal: (signal) => {
          if (this.peer === handle) this.ctx.sendSignal(signal);
        },
        onRemoteStream: (remote) => {
          if (this.peer === handle) this.setCall({ remoteStream: remote });
        },
        onConnected: () => {
          if (this.peer !== handle) return;
          this.clearAnswerTimer();
          this.peerFailures = 0;
          this.setCall({ status: 'connected', error: null });
        },
        // The agent's side restarts ICE on this same connection; say so meanwhile.
        onIceState: (state) => {
          if (state === 'disconnected' || state === 'failed') path.iceBroken = true;
          else if (state === 'connected' || state === 'completed') path.iceBroken = false;
          else return;
          showPath();
        },
        // The agent's audio stopped arriving: the path is cut (seconds before ICE says so).
        onInboundStall: (stalled) => {
          path.stalled = stalled;
          showPath();
        },
        onClose: (error) => {
          if (this.peer !== handle) return;
          this.clearAnswerTimer();
          this.peer = null;
          this.onPeerLost(error);
        },
      });
      this.peer = handle;
      this.clearAnswerTimer();
      this.peerAnswerTimer = setTimeout(() => {
        this.peerAnswerTimer = null;
        if (this.peer !== handle || this.s.call.status === 'connected') return;
        this.peer = null;
        handle.destroy();
        this.onPeerLost('the agent did not answer');
      }, PEER_ANSWER_TIMEOUT_MS);
      for (const s of this.bufferedSignals.splice(0)) handle.signal(s);
    } catch (err) {
      this.setCall({ status: 'failed', error: messageOf(err) });
    } finally {
      this.peerStarting = false;
    }
  }

  private onPeerLost(error: string | null): void {
    const state = this.s.customerState?.state;
    if (this.ctx.isOver() || this.s.ending || (state !== 'connected' && state !== 'on_hold')) return;
    this.setCall({ remoteStream: null });
    this.peerFailures += 1;
    if (this.peerFailures > MAX_PEER_RETRIES) {
      this.setCall({ status: 'failed', error: `The audio connection was lost${error ? ` (${error})` : ''}. Press “Reconnect audio” to try again.` });
      return;
    }
    // Re-offer: the agent's side treats a new offer as a new peer.
    this.setCall({ status: 'reconnecting' });
    this.peerRetryTimer = setTimeout(() => {
      this.peerRetryTimer = null;
      void this.ensurePeer();
    }, 1_000 * this.peerFailures);
  }

  /** Mic track on unless muted by the customer or the call is on hold. */
  private applyTrackState(): void {
    const held = this.s.customerState?.state === 'on_hold';
    for (const t of this.localStream?.getAudioTracks() ?? []) t.enabled = !this.s.call.muted && !held;
  }

  private clearAnswerTimer(): void {
    if (this.peerAnswerTimer) clearTimeout(this.peerAnswerTimer);
    this.peerAnswerTimer = null;
  }
}
