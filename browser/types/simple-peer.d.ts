/**
 * simple-peer as browser code sees it. @types/simple-peer references Node's types (its peer is a Node
 * Duplex stream), which would give every browser program `process`, `Buffer` and `NodeJS.*` silently.
 * The browser tsconfigs map 'simple-peer' here (compilerOptions.paths); test/ keeps @types/simple-peer.
 * Only what the agent app and the widget use is declared.
 */
declare namespace SimplePeer {
  interface Options {
    initiator?: boolean;
    config?: RTCConfiguration;
    stream?: MediaStream;
    trickle?: boolean;
    /** A WebRTC implementation for Node (tests); browsers use their own. */
    wrtc?: {
      RTCPeerConnection: typeof RTCPeerConnection;
      RTCSessionDescription: typeof RTCSessionDescription;
      RTCIceCandidate: typeof RTCIceCandidate;
    };
  }

  type SignalData =
    | { type: 'transceiverRequest'; transceiverRequest: { kind: string; init?: RTCRtpTransceiverInit } }
    | { type: 'renegotiate'; renegotiate: true }
    | { type: 'candidate'; candidate: RTCIceCandidate }
    | RTCSessionDescriptionInit;

  interface Instance {
    signal(data: string | SignalData): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: SignalData) => void): this;
    on(event: 'stream', listener: (stream: MediaStream) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    /** The Duplex stream's catch-all, as in @types/simple-peer. */
    on(event: string | symbol, listener: (...args: never[]) => void): this;
  }
}

declare const SimplePeer: { new (options?: SimplePeer.Options): SimplePeer.Instance };

export default SimplePeer;
