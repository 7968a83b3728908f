import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallModule, CreatePeerOptions } from '../../../widget/lib/call-types';
import { CallSession } from '../../../widget/lib/call-session';
import { SnapshotStore } from '../../../widget/lib/snapshot';

/** The customer's call with a fake peer, connected; `hold()` puts it on hold as the server says. */
async function connectedCall() {
  const store = new SnapshotStore();
  store.set({ session: { interactionId: 'i1', kind: 'call', queueId: 'q1' }, customerState: { interactionId: 'i1', state: 'connected' } as never });
  const track = { enabled: true, stop: () => undefined };
  const stream = { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
  const peers: CreatePeerOptions[] = [];
  const module: CallModule = {
    acquireMicrophone: async () => stream,
    createPeer: (options) => {
      peers.push(options);
      return { signal: () => undefined, destroy: () => undefined };
    },
  };
  const session = new CallSession({ store, api: { iceServers: async () => [] }, token: () => 't', loadCall: async () => module, isOver: () => false, sendSignal: () => undefined });
  session.onConnectedState();
  await vi.advanceTimersByTimeAsync(0);
  const peer = peers[0]!;
  peer.onConnected();
  return {
    store,
    peer,
    peers,
    hold(held: boolean) {
      store.set({ customerState: { interactionId: 'i1', state: held ? 'on_hold' : 'connected' } as never });
      session.onConnectedState();
    },
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('widget call: the agent’s audio stops arriving', () => {
  it('says "Reconnecting audio…" at once, before ICE does, and "connected" when the audio flows again on the same peer', async () => {
    const { store, peer, peers } = await connectedCall();
    expect(store.snapshot.call.status).toBe('connected');
    peer.onInboundStall?.(true);
    expect(store.snapshot.call.status).toBe('reconnecting');
    // ICE comes back on the restarted path first: still reconnecting until the audio is heard.
    peer.onIceState?.('connected');
    expect(store.snapshot.call.status).toBe('reconnecting');
    peer.onInboundStall?.(false);
    expect(store.snapshot.call.status).toBe('connected');
    expect(peers).toHaveLength(1);
  });

  it('ICE broken and the audio flowing again: reconnecting until ICE is back too', async () => {
    const { store, peer } = await connectedCall();
    peer.onIceState?.('disconnected');
    peer.onInboundStall?.(true);
    peer.onInboundStall?.(false);
    expect(store.snapshot.call.status).toBe('reconnecting');
    peer.onIceState?.('connected');
    expect(store.snapshot.call.status).toBe('connected');
  });

  it('on hold a stall is not a broken path (the line says "On hold")', async () => {
    const { store, peer, hold } = await connectedCall();
    hold(true);
    peer.onInboundStall?.(true);
    expect(store.snapshot.call.status).toBe('connected');
    hold(false);
    peer.onInboundStall?.(false);
    expect(store.snapshot.call.status).toBe('connected');
  });
});
