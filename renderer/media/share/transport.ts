/**
 * How the shared picture reaches viewers, behind one interface so the UI never knows whether it is
 * peer-to-peer (today: one simple-peer connection per viewer, the sharer uploads once per viewer)
 * or an SFU (renderer/media/sfu/sfu-share.ts: one upload, the server fans out). Signaling always goes through the server,
 * which relays it only between the sharer and viewers on the share's list.
 */
import { type IceServer } from '../../../shared';

/** simple-peer signal data (SDP or ICE candidate), relayed untouched. */
export type Signal = Record<string, unknown>;

export type PeerState = 'connecting' | 'connected' | 'closed' | 'failed';

/** The sharer's side. */
export interface ShareTransport {
  /** The track to send to every viewer (the pipeline's output). Viewers added before it wait for it. */
  start(track: MediaStreamTrack): void;
  /**
   * The server accepted the share under this id (again after each reconnect). The SFU transport
   * sends the track into the share's room from then on; P2P needs nothing.
   */
  attach?(shareId: string): void;
  /** A viewer joined (the server said so): open a connection to them. Re-adding replaces it. */
  addViewer(viewerId: string): void;
  /** A viewer left or was revoked: close their connection now, so their video ends at once. */
  removeViewer(viewerId: string): void;
  /** A signal from a viewer, relayed by the server. Ignored for viewers not added. */
  signal(viewerId: string, signal: Signal): void;
  onViewerState(listener: (viewerId: string, state: PeerState) => void): () => void;
  viewers(): string[];
  /** Closes every connection. The track is the pipeline's to stop. */
  stop(): void;
}

/** The viewer's side of one share. */
export interface ShareReceiver {
  /** A signal from the sharer, relayed by the server. */
  signal(signal: Signal): void;
  onStream(listener: (stream: MediaStream) => void): () => void;
  onState(listener: (state: PeerState) => void): () => void;
  close(): void;
}

// ---- peers: simple-peer in the app, fakes in tests ----

export interface PeerHandlers {
  onSignal(signal: Signal): void;
  onStream(stream: MediaStream): void;
  onConnect(): void;
  onClose(): void;
  onError(error: Error): void;
}

export interface PeerOptions {
  initiator: boolean;
  /** Sharer: the stream holding the one video track. Viewer: none (receive only). */
  stream?: MediaStream;
  iceServers: IceServer[];
}

export interface Peer {
  signal(signal: Signal): void;
  destroy(): void;
  readonly peerConnection: RTCPeerConnection | null;
}

export type PeerFactory = (options: PeerOptions, handlers: PeerHandlers) => Peer;

type Listener<A extends unknown[]> = (...args: A) => void;

function listeners<A extends unknown[]>() {
  const set = new Set<Listener<A>>();
  return {
    add(fn: Listener<A>): () => void {
      set.add(fn);
      return () => set.delete(fn);
    },
    emit(...args: A): void {
      for (const fn of [...set]) fn(...args);
    },
  };
}

export interface P2PTransportDeps {
  createPeer: PeerFactory;
  iceServers: IceServer[];
  /** Sends a share.signal addressed to one viewer. */
  sendSignal(viewerId: string, signal: Signal): void;
  /** MediaStream constructor (tests run without one). */
  wrapTrack?: (track: MediaStreamTrack) => MediaStream;
}

/** One simple-peer connection per viewer; the sharer is the initiator of each. */
export function createP2PShareTransport(deps: P2PTransportDeps): ShareTransport {
  const peers = new Map<string, Peer>();
  const pending = new Set<string>();
  const states = listeners<[string, PeerState]>();
  let stream: MediaStream | null = null;
  let stopped = false;

  const open = (viewerId: string) => {
    if (!stream) {
      pending.add(viewerId);
      return;
    }
    let peer: Peer | null = null;
    const mine = () => peer !== null && peers.get(viewerId) === peer;
    peer = deps.createPeer(
      { initiator: true, stream, iceServers: deps.iceServers },
      {
        onSignal: (signal) => {
          if (mine()) deps.sendSignal(viewerId, signal);
        },
        onStream: () => undefined,
        onConnect: () => {
          if (mine()) states.emit(viewerId, 'connected');
        },
        onClose: () => {
          if (!mine()) return;
          peers.delete(viewerId);
          states.emit(viewerId, 'closed');
        },
        onError: () => {
          if (!mine()) return;
          peers.delete(viewerId);
          peer?.destroy();
          states.emit(viewerId, 'failed');
        },
      },
    );
    peers.set(viewerId, peer);
    states.emit(viewerId, 'connecting');
  };

  const close = (viewerId: string) => {
    pending.delete(viewerId);
    const peer = peers.get(viewerId);
    if (!peer) return;
    peers.delete(viewerId);
    peer.destroy();
    states.emit(viewerId, 'closed');
  };

  return {
    start(track) {
      if (stopped) return;
      stream = deps.wrapTrack ? deps.wrapTrack(track) : new MediaStream([track]);
      for (const id of [...pending]) {
        pending.delete(id);
        open(id);
      }
    },
    addViewer(viewerId) {
      if (stopped) return;
      close(viewerId);
      open(viewerId);
    },
    removeViewer: close,
    signal(viewerId, signal) {
      peers.get(viewerId)?.signal(signal);
    },
    onViewerState: (fn) => states.add(fn),
    viewers: () => [...peers.keys()],
    stop() {
      stopped = true;
      for (const id of [...peers.keys()]) close(id);
      pending.clear();
    },
  };
}

export interface P2PReceiverDeps {
  createPeer: PeerFactory;
  iceServers: IceServer[];
  /** Sends a share.signal to the sharer. */
  sendSignal(signal: Signal): void;
}

/** The viewer's peer: not the initiator; waits for the sharer's offer. */
export function createP2PShareReceiver(deps: P2PReceiverDeps): ShareReceiver {
  const streams = listeners<[MediaStream]>();
  const states = listeners<[PeerState]>();
  let closed = false;
  let last: MediaStream | null = null;
  const peer = deps.createPeer(
    { initiator: false, iceServers: deps.iceServers },
    {
      onSignal: (signal) => {
        if (!closed) deps.sendSignal(signal);
      },
      onStream: (stream) => {
        if (closed) return;
        last = stream;
        streams.emit(stream);
      },
      onConnect: () => {
        if (!closed) states.emit('connected');
      },
      onClose: () => {
        if (closed) return;
        closed = true;
        states.emit('closed');
      },
      onError: () => {
        if (closed) return;
        closed = true;
        peer.destroy();
        states.emit('failed');
      },
    },
  );
  return {
    signal(signal) {
      if (!closed) peer.signal(signal);
    },
    onStream(fn) {
      if (last) fn(last);
      return streams.add(fn);
    },
    onState: (fn) => states.add(fn),
    close() {
      if (closed) return;
      closed = true;
      peer.destroy();
      // Stop what arrived so the <video> goes dark at once, not on the next frame timeout.
      for (const track of last?.getTracks() ?? []) track.stop();
      states.emit('closed');
    },
  };
}
