import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallController } from '../../../renderer/features/calls/call-controller';
import { type CallEvent, callReducer, callStateLine, initialCallState } from '../../../renderer/features/calls/call-machine';
import { fakeMedia } from './fake-media';

describe('ICE restart on a live call (agent side)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function liveCall() {
    vi.useFakeTimers({ now: 0 });
    const fm = fakeMedia();
    const events: CallEvent[] = [];
    const sent: Array<Record<string, unknown>> = [];
    const controller = new CallController({
      interactionId: 'i-1',
      media: fm.media,
      getIceServers: async () => [],
      sendSignal: (s) => void sent.push(s),
      onEvent: (e) => void events.push(e),
      onRemoteStream: () => undefined,
      now: () => Date.now(),
      logger: { warn: vi.fn() },
      iceRestart: { graceMs: 1_000, backoff: { initialMs: 2_000, maxMs: 4_000, jitter: 0 }, stallRestarts: 2 },
    });
    await controller.start();
    const peer = fm.latestPeer();
    controller.signal({ type: 'offer', sdp: 'first' });
    peer.handlers.onConnect();
    return { fm, peer, events, sent, controller, state: () => events.reduce(callReducer, initialCallState) };
  }

  it('says "Reconnecting audio…", restarts ICE after the grace on the same peer, and clears when ICE is back', async () => {
    const { fm, peer, sent, state } = await liveCall();
    peer.handlers.onIceState?.('disconnected');
    expect(callStateLine(state()).label).toBe('Reconnecting audio…');
    expect(state().phase).toBe('connected');
    await vi.advanceTimersByTimeAsync(999);
    expect(peer.restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(peer.restarts).toBe(1);
    expect(sent.at(-1)).toEqual({ type: 'offer', sdp: 'restart-1', iceRestart: true });
    // Still broken: again after the backoff (2 s, then 4 s capped).
    await vi.advanceTimersByTimeAsync(2_000);
    expect(peer.restarts).toBe(2);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(peer.restarts).toBe(3);
    peer.handlers.onIceState?.('connected');
    expect(callStateLine(state())).toEqual({ label: 'Connected', tone: 'live' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(peer.restarts).toBe(3);
    // No new peer: the call's media connection was kept.
    expect(fm.peers).toHaveLength(1);
    expect(peer.destroyed).toBe(false);
  });

  it("'failed' restarts at once; the customer's answer goes into the same peer", async () => {
    const { fm, peer } = await liveCall();
    peer.handlers.onIceState?.('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(peer.restarts).toBe(1);
    expect(fm.peers).toHaveLength(1);
  });

  it('the answer to our restart is fed to the existing peer, not taken for a new customer peer', async () => {
    const { fm, peer, controller } = await liveCall();
    peer.handlers.onIceState?.('failed');
    await vi.advanceTimersByTimeAsync(0);
    controller.signal({ type: 'answer', sdp: 'restart-answer' });
    expect(fm.peers).toHaveLength(1);
    expect(peer.received.at(-1)).toEqual({ type: 'answer', sdp: 'restart-answer' });
  });

  it('ending the call stops the restarts', async () => {
    const { peer, controller } = await liveCall();
    peer.handlers.onIceState?.('disconnected');
    controller.end();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(peer.restarts).toBe(0);
  });

  it("the customer's audio stalling restarts ICE at once on the same peer, before ICE says anything; its return clears it", async () => {
    const { fm, peer, sent, state } = await liveCall();
    peer.handlers.onIceState?.('connected');
    peer.handlers.onInboundStall?.(true);
    expect(callStateLine(state()).label).toBe('Reconnecting audio…');
    await vi.advanceTimersByTimeAsync(0);
    expect(peer.restarts).toBe(1);
    expect(sent.at(-1)).toEqual({ type: 'offer', sdp: 'restart-1', iceRestart: true });
    peer.handlers.onInboundStall?.(false);
    expect(callStateLine(state())).toEqual({ label: 'Connected', tone: 'live' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(peer.restarts).toBe(1);
    expect(fm.peers).toHaveLength(1);
    expect(state().phase).toBe('connected');
  });

  it('a customer who sends nothing while ICE stays connected gets 2 restarts, then no "Reconnecting" and no more', async () => {
    const { peer, state } = await liveCall();
    peer.handlers.onIceState?.('connected');
    peer.handlers.onInboundStall?.(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(peer.restarts).toBe(2);
    expect(callStateLine(state())).toEqual({ label: 'Connected', tone: 'live' });
  });
});
