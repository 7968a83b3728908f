// Keep first: simple-peer reads `global`, `process` and `Buffer` while its modules load.
import '../polyfills';
import SimplePeer from 'simple-peer';
import { type Peer, type PeerFactory } from './transport';

/**
 * The share transport's peers, on simple-peer. Loaded on demand (dynamic import) so the main bundle
 * stays small until someone shares or watches. Video only: the share never carries audio.
 */
export const createSimplePeer: PeerFactory = (options, handlers): Peer => {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: options.iceServers },
    ...(options.stream ? { stream: options.stream } : {}),
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
      return destroyed ? null : ((peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null);
    },
  };
};
