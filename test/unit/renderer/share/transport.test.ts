import { describe, expect, it } from 'vitest';
import { createP2PShareReceiver, createP2PShareTransport, type PeerHandlers, type PeerOptions, type PeerState, type Signal } from '../../../../renderer/media/share/transport';

interface FakePeer {
  options: PeerOptions;
  handlers: PeerHandlers;
  received: Signal[];
  destroyed: boolean;
}

function fakePeers() {
  const peers: FakePeer[] = [];
  const createPeer = (options: PeerOptions, handlers: PeerHandlers) => {
    const p: FakePeer = { options, handlers, received: [], destroyed: false };
    peers.push(p);
    return {
      signal: (s: Signal) => void p.received.push(s),
      destroy: () => void (p.destroyed = true),
      peerConnection: null,
    };
  };
  return { peers, createPeer };
}

const track = { id: 't1' } as unknown as MediaStreamTrack;
const wrapTrack = (t: MediaStreamTrack) => ({ id: 'stream', track: t }) as unknown as MediaStream;

function sharer() {
  const { peers, createPeer } = fakePeers();
  const sent: [string, Signal][] = [];
  const states: [string, PeerState][] = [];
  const transport = createP2PShareTransport({ createPeer, iceServers: [{ urls: 'stun:x' }], sendSignal: (id, s) => void sent.push([id, s]), wrapTrack });
  transport.onViewerState((id, s) => void states.push([id, s]));
  return { peers, sent, states, transport };
}

describe('P2P share transport (sharer)', () => {
  it('opens one initiating peer per viewer with the track and the ICE servers; signals go to that viewer', () => {
    const { peers, sent, states, transport } = sharer();
    transport.start(track);
    transport.addViewer('sam');
    transport.addViewer('sky');
    expect(peers.map((p) => [p.options.initiator, p.options.iceServers])).toEqual([
      [true, [{ urls: 'stun:x' }]],
      [true, [{ urls: 'stun:x' }]],
    ]);
    expect(peers[0]!.options.stream).toEqual({ id: 'stream', track });
    peers[0]!.handlers.onSignal({ type: 'offer' });
    peers[1]!.handlers.onSignal({ candidate: {} });
    expect(sent).toEqual([
      ['sam', { type: 'offer' }],
      ['sky', { candidate: {} }],
    ]);
    transport.signal('sam', { type: 'answer' });
    expect(peers[0]!.received).toEqual([{ type: 'answer' }]);
    peers[0]!.handlers.onConnect();
    expect(states).toEqual([
      ['sam', 'connecting'],
      ['sky', 'connecting'],
      ['sam', 'connected'],
    ]);
    expect(transport.viewers()).toEqual(['sam', 'sky']);
  });

  it('viewers added before the track wait for it', () => {
    const { peers, transport } = sharer();
    transport.addViewer('sam');
    expect(peers).toHaveLength(0);
    transport.start(track);
    expect(peers).toHaveLength(1);
  });

  it('removeViewer destroys that peer at once; late events from it are ignored', () => {
    const { peers, sent, states, transport } = sharer();
    transport.start(track);
    transport.addViewer('sam');
    transport.removeViewer('sam');
    expect(peers[0]!.destroyed).toBe(true);
    expect(states.at(-1)).toEqual(['sam', 'closed']);
    peers[0]!.handlers.onSignal({ type: 'offer' });
    transport.signal('sam', { type: 'answer' });
    expect(sent).toEqual([]);
    expect(peers[0]!.received).toEqual([]);
    expect(transport.viewers()).toEqual([]);
  });

  it('re-adding a viewer replaces their peer (a rejoin)', () => {
    const { peers, transport } = sharer();
    transport.start(track);
    transport.addViewer('sam');
    transport.addViewer('sam');
    expect(peers.map((p) => p.destroyed)).toEqual([true, false]);
  });

  it('a failed peer is dropped and reported; stop closes everything', () => {
    const { peers, states, transport } = sharer();
    transport.start(track);
    transport.addViewer('sam');
    transport.addViewer('sky');
    peers[0]!.handlers.onError(new Error('ice failed'));
    expect(states).toContainEqual(['sam', 'failed']);
    transport.stop();
    expect(peers[1]!.destroyed).toBe(true);
    transport.addViewer('ben');
    expect(peers).toHaveLength(2);
  });
});

describe('P2P share receiver (viewer)', () => {
  it('is not the initiator, relays its signals, hands over the stream, and stops it on close', () => {
    const { peers, createPeer } = fakePeers();
    const sent: Signal[] = [];
    const receiver = createP2PShareReceiver({ createPeer, iceServers: [], sendSignal: (s) => void sent.push(s) });
    expect(peers[0]!.options).toEqual({ initiator: false, iceServers: [] });
    receiver.signal({ type: 'offer' });
    expect(peers[0]!.received).toEqual([{ type: 'offer' }]);
    peers[0]!.handlers.onSignal({ type: 'answer' });
    expect(sent).toEqual([{ type: 'answer' }]);
    let stopped = 0;
    const stream = { getTracks: () => [{ stop: () => (stopped += 1) }] } as unknown as MediaStream;
    const got: MediaStream[] = [];
    peers[0]!.handlers.onStream(stream);
    receiver.onStream((s) => void got.push(s));
    expect(got).toEqual([stream]);
    const states: PeerState[] = [];
    receiver.onState((s) => void states.push(s));
    receiver.close();
    expect(peers[0]!.destroyed).toBe(true);
    expect(stopped).toBe(1);
    expect(states).toEqual(['closed']);
    receiver.signal({ type: 'offer' });
    expect(peers[0]!.received).toHaveLength(1);
  });
});
