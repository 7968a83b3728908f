import { type CallMedia, type CallPeer, type CallPeerHandlers, type CallPeerOptions, type Signal } from '../../../renderer/media/call-peer-types';

/** A MediaStreamTrack stand-in: only `enabled` and `stop` matter to the call code. */
export class FakeTrack {
  readonly kind = 'audio';
  enabled = true;
  stopped = false;
  stop(): void {
    this.stopped = true;
  }
}

export function fakeStream(tracks = [new FakeTrack()]) {
  const stream = { tracks, getAudioTracks: () => tracks, getTracks: () => tracks };
  return stream as unknown as MediaStream & { tracks: FakeTrack[] };
}

export class FakePeer implements CallPeer {
  readonly received: Signal[] = [];
  destroyed = false;
  readonly peerConnection = { fake: 'pc' } as unknown as RTCPeerConnection;
  constructor(
    readonly options: CallPeerOptions,
    readonly handlers: CallPeerHandlers,
  ) {}
  signal(signal: Signal): void {
    this.received.push(signal);
  }
  destroy(): void {
    this.destroyed = true;
  }
  restarts = 0;
  async restartIce(): Promise<boolean> {
    this.restarts += 1;
    this.handlers.onSignal({ type: 'offer', sdp: `restart-${this.restarts}`, iceRestart: true });
    return true;
  }
}

/** Injectable call media: a controllable microphone and peers the test drives by hand. */
export function fakeMedia(options: { micError?: Error } = {}) {
  const peers: FakePeer[] = [];
  const mics: Array<MediaStream & { tracks: FakeTrack[] }> = [];
  const exposed: Array<RTCPeerConnection | null> = [];
  let releaseMic: (() => void) | null = null;
  let holdMic = false;
  const media: CallMedia = {
    createPeer: (opts, handlers) => {
      const peer = new FakePeer(opts, handlers);
      peers.push(peer);
      return peer;
    },
    getMicrophone: async () => {
      if (options.micError) throw options.micError;
      if (holdMic) await new Promise<void>((resolve) => (releaseMic = resolve));
      const mic = fakeStream();
      mics.push(mic);
      return mic;
    },
    exposePeerConnection: (pc) => void exposed.push(pc),
  };
  return {
    media,
    peers,
    mics,
    exposed,
    /** Makes getMicrophone wait until `grantMic()`. */
    delayMic() {
      holdMic = true;
    },
    grantMic() {
      holdMic = false;
      releaseMic?.();
    },
    latestPeer(): FakePeer {
      const peer = peers.at(-1);
      if (!peer) throw new Error('no peer was created');
      return peer;
    },
  };
}
