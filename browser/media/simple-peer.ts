// Keep first: simple-peer reads `global`, `process` and `Buffer` while its modules load.
import './polyfills';
import SimplePeer from 'simple-peer';
import { watchInboundAudio } from './inbound-watch';

/**
 * The one simple-peer wrapper of both browser apps: the agent's call answerer, the screen share's
 * peers and the widget's call initiator. Loaded on demand (dynamic import) by each of them, so a
 * bundle carries simple-peer and its Node polyfills only once a call or share starts.
 */

/** simple-peer signal data: SDP offer/answer, ICE candidate, renegotiation. Relayed as-is. */
export type PeerSignal = Record<string, unknown>;

export interface SimplePeerOptions {
  /** Who sends the offer: the widget for calls, the sharer for shares. */
  initiator: boolean;
  /** Our media to send; none to receive only. */
  stream?: MediaStream;
  iceServers: RTCIceServer[];
  /** A WebRTC implementation for Node (e.g. @roamhq/wrtc); browsers use their own. */
  wrtc?: SimplePeer.Options['wrtc'];
  /**
   * Keep the connection when ICE fails (simple-peer destroys it) so the side that restarts ICE
   * (restartIce) can bring the path back on it. The other side keeps the default.
   */
  survivesIceFailure?: boolean;
  /**
   * Watch the inbound audio (getStats) and report through onInboundStall when it stops and starts
   * again: a cut path shows there within 1–1.5 s, the ICE state only after 5–7 s over TURN/TCP.
   */
  watchInbound?: boolean;
}

export interface SimplePeerHandlers {
  /** A signal to relay to the other side through the server. */
  onSignal(signal: PeerSignal): void;
  onStream(stream: MediaStream): void;
  onConnect(): void;
  onClose(): void;
  onError(error: Error): void;
  /** The connection's iceConnectionState changed (disconnected, failed, connected…). */
  onIceState?(state: RTCIceConnectionState): void;
  /** With watchInbound: the other side's audio stopped arriving (true) or arrives again (false). */
  onInboundStall?(stalled: boolean): void;
}

export interface SimplePeerHandle {
  /** Feeds a signal from the other side. */
  signal(signal: PeerSignal): void;
  /** Closes the connection; no handler fires afterwards. */
  destroy(): void;
  /** The underlying connection (getStats, test hooks); null once destroyed. */
  readonly peerConnection: RTCPeerConnection | null;
}

/** What createSimplePeer returns: a handle that can also restart ICE (calls use it). */
export interface RestartablePeerHandle extends SimplePeerHandle {
  /**
   * Restarts ICE on this connection: a new offer with fresh ICE credentials, sent through onSignal
   * as an ordinary offer ({ type: 'offer', sdp }); the other side answers on its existing peer.
   * A restart whose answer never came is rolled back first. False when none could be made.
   */
  restartIce(): Promise<boolean>;
}

export function createSimplePeer(options: SimplePeerOptions, handlers: SimplePeerHandlers): RestartablePeerHandle {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: options.iceServers },
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.wrtc ? { wrtc: options.wrtc } : {}),
  });
  let destroyed = false;
  const pcOf = (): RTCPeerConnection | null => (destroyed ? null : ((peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null));
  watchIce(pcOf(), options.survivesIceFailure === true, (state) => {
    if (!destroyed) handlers.onIceState?.(state);
  });
  const pc = pcOf();
  const inbound =
    options.watchInbound && pc && typeof pc.getStats === 'function'
      ? watchInboundAudio(pc, (stalled) => {
          if (!destroyed) handlers.onInboundStall?.(stalled);
        })
      : null;
  peer.on('signal', (data) => {
    if (!destroyed) handlers.onSignal(data as unknown as PeerSignal);
  });
  peer.on('stream', (stream: MediaStream) => {
    if (!destroyed) handlers.onStream(stream);
  });
  peer.on('connect', () => {
    if (!destroyed) handlers.onConnect();
  });
  peer.on('close', () => {
    inbound?.stop();
    if (!destroyed) handlers.onClose();
  });
  peer.on('error', (err: Error) => {
    if (!destroyed) handlers.onError(err);
  });
  return {
    signal(signal) {
      if (!destroyed) peer.signal(signal as unknown as SimplePeer.SignalData);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      inbound?.stop();
      peer.destroy();
    },
    get peerConnection() {
      // simple-peer keeps its RTCPeerConnection in `_pc`; it is not part of the typed API.
      return pcOf();
    },
    async restartIce() {
      const pc = pcOf();
      if (!pc) return false;
      // A previous restart's offer is still unanswered (the signal was lost): start over.
      if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
      if (pc.signalingState !== 'stable') return false;
      const offer = await pc.createOffer({ iceRestart: true });
      if (destroyed) return false;
      await pc.setLocalDescription(offer);
      const sdp = pc.localDescription?.sdp ?? offer.sdp;
      if (destroyed || !sdp) return false;
      // simple-peer feeds the answer (setRemoteDescription) and trickles the new candidates itself.
      handlers.onSignal({ type: 'offer', sdp, iceRestart: true });
      return true;
    },
  };
}

/**
 * Reports ICE state changes, chained before simple-peer's own handlers (it assigns the `on…`
 * properties). With `survive`, a failed state is reported but kept from simple-peer, which would
 * destroy the connection, so a restart can still revive it.
 */
function watchIce(pc: RTCPeerConnection | null, survive: boolean, report: (state: RTCIceConnectionState) => void): void {
  if (!pc) return;
  const ice = pc.oniceconnectionstatechange;
  pc.oniceconnectionstatechange = (event) => {
    report(pc.iceConnectionState);
    if (survive && pc.iceConnectionState === 'failed') return;
    ice?.call(pc, event);
  };
  if (!survive) return;
  const conn = pc.onconnectionstatechange;
  pc.onconnectionstatechange = (event) => {
    if (pc.connectionState === 'failed') return;
    conn?.call(pc, event);
  };
}
