import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallController } from '../../../renderer/features/calls/call-controller';
import { type CallEvent, callReducer, callStateLine, initialCallState } from '../../../renderer/features/calls/call-machine';
import { fakeMedia } from './fake-media';

describe('a microphone that never opens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function controllerWithHeldMic(micTimeoutMs?: number) {
    vi.useFakeTimers({ now: 0 });
    const fm = fakeMedia();
    fm.delayMic();
    const events: CallEvent[] = [];
    const controller = new CallController({
      interactionId: 'i-1',
      media: fm.media,
      getIceServers: async () => [],
      sendSignal: () => undefined,
      onEvent: (e) => void events.push(e),
      onRemoteStream: () => undefined,
      now: () => Date.now(),
      logger: { warn: vi.fn() },
      ...(micTimeoutMs === undefined ? {} : { micTimeoutMs }),
    });
    return { fm, controller, state: () => events.reduce(callReducer, initialCallState) };
  }

  it('fails the call after 15 s with what to do, instead of "starting microphone" for ever', async () => {
    const { fm, controller, state } = controllerWithHeldMic();
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(callStateLine(state()).label).not.toMatch(/did not start/);
    expect(fm.peers).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await started;
    expect(state().phase).toBe('failed');
    expect(callStateLine(state()).label).toMatch(/microphone did not start within 15 s.*Settings → Audio/);
    expect(fm.peers).toHaveLength(0);
  });

  it('a microphone that opens after the timeout is released at once, not kept open', async () => {
    const { fm, controller } = controllerWithHeldMic(1_000);
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    fm.grantMic();
    await vi.advanceTimersByTimeAsync(0);
    expect(fm.mics).toHaveLength(1);
    expect(fm.mics[0]!.tracks[0]!.stopped).toBe(true);
    expect(fm.peers).toHaveLength(0);
  });

  it('a microphone that opens in time carries the call as before', async () => {
    const { fm, controller } = controllerWithHeldMic();
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(5_000);
    fm.grantMic();
    await started;
    expect(fm.peers).toHaveLength(1);
    expect(fm.mics[0]!.tracks[0]!.stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fm.peers[0]!.destroyed).toBe(false);
  });
});

describe('call code that never arrives (a download stranded by sleep)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fails the call after 15 s with what to do instead of staying on "starting"; a peer that comes later is closed', async () => {
    vi.useFakeTimers({ now: 0 });
    const fm = fakeMedia();
    let deliver: (() => void) | null = null;
    const media = {
      ...fm.media,
      createPeer: (...args: Parameters<typeof fm.media.createPeer>) =>
        new Promise<ReturnType<typeof fm.latestPeer>>((resolve) => {
          deliver = () => {
            void fm.media.createPeer(...args);
            resolve(fm.latestPeer());
          };
        }),
    };
    const events: CallEvent[] = [];
    const controller = new CallController({
      interactionId: 'i-1',
      media,
      getIceServers: async () => [],
      sendSignal: () => undefined,
      onEvent: (e) => void events.push(e),
      onRemoteStream: () => undefined,
      now: () => Date.now(),
      logger: { warn: vi.fn() },
    });
    const state = () => events.reduce(callReducer, initialCallState);
    const started = controller.start();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(state().phase).toBe('starting');
    await vi.advanceTimersByTimeAsync(1);
    await started;
    expect(state().phase).toBe('failed');
    expect(callStateLine(state()).label).toMatch(/could not be set up in time.*network/);
    deliver!();
    await vi.advanceTimersByTimeAsync(0);
    expect(fm.peers).toHaveLength(1);
    expect(fm.peers[0]!.destroyed).toBe(true);
  });
});
