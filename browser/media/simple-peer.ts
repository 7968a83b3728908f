// Keep first: simple-peer reads `global`, `process` and `Buffer` while its modules load.
import './polyfills';
import SimplePeer from 'simple-peer';

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
}

export interface SimplePeerHandlers {
  /** A signal to relay to the other side through the server. */
  onSignal(signal: PeerSignal): void;
  onStream(stream: MediaStream): void;
  onConnect(): void;
  onClose(): void;
  onError(error: Error): void;
}

export interface SimplePeerHandle {
  /** Feeds a signal from the other side. */
  signal(signal: PeerSignal): void;
  /** Closes the connection; no handler fires afterwards. */
  destroy(): void;
  /** The underlying connection (getStats, test hooks); null once destroyed. */
  readonly peerConnection: RTCPeerConnection | null;
}

export function createSimplePeer(options: SimplePeerOptions, handlers: SimplePeerHandlers): SimplePeerHandle {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: options.iceServers },
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.wrtc ? { wrtc: options.wrtc } : {}),
  });
  let destroyed = false;
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
      peer.destroy();
    },
    get peerConnection() {
      // simple-peer keeps its RTCPeerConnection in `_pc`; it is not part of the typed API.
      return destroyed ? null : ((peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null);
    },
  };
}
