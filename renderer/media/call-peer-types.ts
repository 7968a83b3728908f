import { type IceServer } from '../../shared';

/**
 * What the call code needs from a WebRTC peer. The real one (call-peer.ts, simple-peer) is loaded
 * on demand; tests pass a fake with the same shape, so no WebRTC is needed to test call logic.
 */

/** simple-peer signal data: SDP offer/answer, ICE candidate, renegotiation. Relayed as-is. */
export type Signal = Record<string, unknown>;

export interface CallPeerOptions {
  /** The agent's microphone; its tracks are offered in the answer. */
  stream: MediaStream;
  iceServers: IceServer[];
}

export interface CallPeerHandlers {
  /** A signal to relay to the customer through the server (call.signal). */
  onSignal(signal: Signal): void;
  /** The customer's audio arrived. */
  onStream(stream: MediaStream): void;
  onConnect(): void;
  onClose(): void;
  onError(error: Error): void;
}

export interface CallPeer {
  /** Feeds a signal from the customer. */
  signal(signal: Signal): void;
  /** Closes the connection; no handler fires afterwards. */
  destroy(): void;
  /** The underlying connection, for getStats in tests; null once destroyed or when unavailable. */
  readonly peerConnection: RTCPeerConnection | null;
}

/** The agent answers: the customer's widget is always the initiator and sends the offer. */
export type CallPeerFactory = (options: CallPeerOptions, handlers: CallPeerHandlers) => CallPeer | Promise<CallPeer>;

/** Everything with side effects a call needs; injected through AppDeps. */
export interface CallMedia {
  createPeer: CallPeerFactory;
  getMicrophone(): Promise<MediaStream>;
  /** Test hook: receives the current call's RTCPeerConnection (or null when it ends). */
  exposePeerConnection?(pc: RTCPeerConnection | null): void;
}
