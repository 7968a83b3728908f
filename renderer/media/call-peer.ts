// Keep first: simple-peer reads `global`, `process` and `Buffer` while its modules load.
import './polyfills';
import SimplePeer from 'simple-peer';
import { type CallPeer, type CallPeerHandlers, type CallPeerOptions } from './call-peer-types';

export interface CreateCallPeerExtras {
  /** A WebRTC implementation for Node (e.g. @roamhq/wrtc); browsers use their own. */
  wrtc?: SimplePeer.Options['wrtc'];
}

/**
 * The agent's side of a call: a non-initiating simple-peer that answers the customer's offer with
 * the microphone's audio. Loaded on demand (dynamic import) so the main bundle stays small.
 */
export function createCallPeer(options: CallPeerOptions, handlers: CallPeerHandlers, extras: CreateCallPeerExtras = {}): CallPeer {
  const peer = new SimplePeer({
    initiator: false,
    stream: options.stream,
    trickle: true,
    config: { iceServers: options.iceServers },
    ...(extras.wrtc ? { wrtc: extras.wrtc } : {}),
  });
  let destroyed = false;

  peer.on('signal', (data) => {
    if (!destroyed) handlers.onSignal(data as unknown as Record<string, unknown>);
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
