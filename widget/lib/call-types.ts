/**
 * What the controller needs from the call module (call/call.ts). The module is loaded only when a
 * call starts, so a chat never downloads simple-peer and its Node polyfills.
 */
export type SignalData = Record<string, unknown>;

export interface CallPeerHandle {
  /** Feeds the agent's signal (answer, ICE candidate…) into the peer. */
  signal(data: SignalData): void;
  destroy(): void;
}

export interface CreatePeerOptions {
  stream: MediaStream;
  iceServers: RTCIceServer[];
  /** Our offer and ICE candidates, to relay as call.signal. */
  onSignal(data: SignalData): void;
  onRemoteStream(stream: MediaStream): void;
  onConnected(): void;
  /** The connection's ICE state: 'disconnected'/'failed' while the path is broken, 'connected' once back. */
  onIceState?(state: RTCIceConnectionState): void;
  /** The agent's audio stopped arriving (true: the path is likely cut) or arrives again (false). */
  onInboundStall?(stalled: boolean): void;
  /** The peer is gone: `error` says why when it failed, null when it closed normally. */
  onClose(error: string | null): void;
}

export interface CallModule {
  /** Asks for the microphone. Rejects with a sentence the customer can act on. */
  acquireMicrophone(): Promise<MediaStream>;
  createPeer(options: CreatePeerOptions): CallPeerHandle;
}

export type LoadCallModule = () => Promise<CallModule>;
