import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ConsultView } from '../../../shared';
import { FakePeer, fakeMedia } from './fake-media';
import { agentUser, makeStore } from './store-harness';

const view = (over: Partial<ConsultView> = {}): ConsultView => ({
  id: 'c-1',
  interactionId: 'i-1',
  queueName: 'Support',
  state: 'talking',
  fromUserId: agentUser.id,
  fromName: 'Agent One',
  toUserId: 'u-agent2',
  toName: 'Agent Two',
  ...over,
});

/** A consult in the talking state, its peer created; `me` is the call's agent unless said otherwise. */
async function talking(me: 'caller' | 'consulted' = 'caller') {
  vi.useFakeTimers({ now: 0 });
  const fm = fakeMedia();
  const consultPeers: FakePeer[] = [];
  const initiators: boolean[] = [];
  fm.media.createConsultPeer = (options, handlers) => {
    const peer = new FakePeer(options, handlers);
    consultPeers.push(peer);
    initiators.push(options.initiator);
    return peer;
  };
  const { store } = makeStore({ media: fm.media });
  store.setState({ auth: { ...store.getState().auth, user: agentUser } });
  store.getState().applyConsultState(me === 'caller' ? view() : view({ fromUserId: 'u-agent2', fromName: 'Agent Two', toUserId: agentUser.id, toName: 'Agent One' }));
  await vi.advanceTimersByTimeAsync(0);
  const peer = consultPeers[0];
  if (!peer) throw new Error('no consult peer');
  peer.handlers.onIceState?.('connected');
  return { store, peer, consultPeers, initiators };
}

describe('ICE restart on a consult call', () => {
  afterEach(() => void vi.useRealTimers());

  it("the call's agent restarts ICE on the same consult peer when the other agent's audio stalls, and says so until it flows", async () => {
    const { store, peer, consultPeers, initiators } = await talking('caller');
    expect(initiators).toEqual([true]);
    peer.handlers.onInboundStall?.(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(peer.restarts).toBe(1);
    expect(store.getState().consult?.reconnecting).toBe(true);
    peer.handlers.onInboundStall?.(false);
    expect(store.getState().consult?.reconnecting).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(peer.restarts).toBe(1);
    expect(consultPeers).toHaveLength(1);
    expect(peer.destroyed).toBe(false);
  });

  it("ICE 'disconnected' restarts after the grace, then with backoff, while the path stays broken", async () => {
    const { peer } = await talking('caller');
    peer.handlers.onIceState?.('disconnected');
    await vi.advanceTimersByTimeAsync(1_999);
    expect(peer.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(peer.restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(peer.restarts).toBe(2);
  });

  it('the agent consulted never restarts (offers never cross); it answers the restart offer on its peer', async () => {
    const { store, peer, initiators } = await talking('consulted');
    expect(initiators).toEqual([false]);
    peer.handlers.onInboundStall?.(true);
    peer.handlers.onIceState?.('failed');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(peer.restarts).toBe(0);
    store.getState().applyConsultSignal('c-1', { type: 'offer', sdp: 'restart', iceRestart: true });
    expect(peer.received.at(-1)).toEqual({ type: 'offer', sdp: 'restart', iceRestart: true });
  });

  it('a consult that ends stops the restarts', async () => {
    const { store, peer } = await talking('caller');
    peer.handlers.onIceState?.('disconnected');
    store.getState().applyConsultState(view({ state: 'cancelled', reason: 'cancelled' }));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(peer.restarts).toBe(0);
    expect(store.getState().consult).toBeNull();
  });
});
