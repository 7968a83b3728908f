import { describe, expect, it, vi } from 'vitest';
import { CallController } from '../../../renderer/features/calls/call-controller';
import {
  type CallEvent,
  type CallMachineState,
  callReducer,
  callStateLine,
  initialCallState,
  talkTimeMs,
} from '../../../renderer/features/calls/call-machine';
import { fakeMedia, fakeStream } from './fake-media';

function run(events: CallEvent[], state: CallMachineState = initialCallState): CallMachineState {
  return events.reduce(callReducer, state);
}

describe('call state machine', () => {
  it('goes starting → connecting → connected → ended', () => {
    let s = run([{ type: 'media-ready' }]);
    expect(s.phase).toBe('connecting');
    expect(callStateLine(s).label).toBe('Connecting…');
    s = run([{ type: 'connected', at: 1000 }], s);
    expect(s).toMatchObject({ phase: 'connected', connectedAt: 1000 });
    expect(callStateLine(s)).toEqual({ label: 'Connected', tone: 'live' });
    s = run([{ type: 'ended', at: 61_000 }], s);
    expect(callStateLine(s).label).toBe('Call ended');
    expect(talkTimeMs(s, 999_999)).toBe(60_000);
  });

  it('shows on hold and muted on the state line', () => {
    const s = run([{ type: 'media-ready' }, { type: 'connected', at: 0 }, { type: 'mute', muted: true }]);
    expect(callStateLine(s).label).toBe('Connected (muted)');
    expect(callStateLine(run([{ type: 'hold', held: true }], s))).toEqual({ label: 'On hold', tone: 'held' });
  });

  it('ignores everything after a terminal state', () => {
    const failed = run([{ type: 'failed', message: 'No microphone', at: 5 }]);
    expect(callStateLine(failed).label).toBe('Call failed: No microphone');
    expect(run([{ type: 'connected', at: 6 }, { type: 'hold', held: true }], failed)).toBe(failed);
  });

  it('has no talk time before media flowed, and ticks while connected', () => {
    expect(talkTimeMs(initialCallState, 10)).toBeNull();
    const s = run([{ type: 'connected', at: 1000 }]);
    expect(talkTimeMs(s, 4000)).toBe(3000);
  });
});

describe('CallController', () => {
  function setup(micError?: Error) {
    const fm = fakeMedia(micError ? { micError } : {});
    const events: CallEvent[] = [];
    const sent: unknown[] = [];
    const streams: Array<MediaStream | null> = [];
    const controller = new CallController({
      interactionId: 'i-1',
      media: fm.media,
      getIceServers: async () => [{ urls: 'stun:stun.test:3478' }],
      sendSignal: (s) => void sent.push(s),
      onEvent: (e) => void events.push(e),
      onRemoteStream: (s) => void streams.push(s),
      now: () => 42,
      logger: { warn: vi.fn() },
    });
    return { fm, events, sent, streams, controller };
  }

  it('answers as non-initiator with the microphone and the configured ICE servers', async () => {
    const { fm, events, controller } = setup();
    await controller.start();
    const peer = fm.latestPeer();
    expect(peer.options.stream).toBe(fm.mics[0]);
    expect(peer.options.iceServers).toEqual([{ urls: 'stun:stun.test:3478' }]);
    expect(events).toEqual([{ type: 'media-ready' }]);
    expect(fm.exposed).toEqual([peer.peerConnection]);
  });

  it('buffers signals that arrive before the peer exists and feeds them in order', async () => {
    const { fm, controller } = setup();
    fm.delayMic();
    const starting = controller.start();
    controller.signal({ type: 'offer', sdp: 'v=0' });
    controller.signal({ candidate: { candidate: 'c1' } });
    fm.grantMic();
    await starting;
    controller.signal({ candidate: { candidate: 'c2' } });
    expect(fm.latestPeer().received).toEqual([{ type: 'offer', sdp: 'v=0' }, { candidate: { candidate: 'c1' } }, { candidate: { candidate: 'c2' } }]);
  });

  it('relays our signals and reports connect and the remote stream', async () => {
    const { fm, controller, sent, events, streams } = setup();
    await controller.start();
    const peer = fm.latestPeer();
    peer.handlers.onSignal({ type: 'answer', sdp: 'v=0' });
    const remote = fakeStream();
    peer.handlers.onStream(remote);
    peer.handlers.onConnect();
    expect(sent).toEqual([{ type: 'answer', sdp: 'v=0' }]);
    expect(streams).toEqual([remote]);
    expect(events.at(-1)).toEqual({ type: 'connected', at: 42 });
  });

  it('mute disables the outbound track; hold silences both directions', async () => {
    const { fm, controller } = setup();
    await controller.start();
    const mic = fm.mics[0]!;
    const remote = fakeStream();
    fm.latestPeer().handlers.onStream(remote);

    controller.setMuted(true);
    expect(mic.tracks[0]?.enabled).toBe(false);
    expect(remote.tracks[0]?.enabled).toBe(true);

    controller.setMuted(false);
    controller.setHeld(true);
    expect(mic.tracks[0]?.enabled).toBe(false);
    expect(remote.tracks[0]?.enabled).toBe(false);

    controller.setHeld(false);
    expect(mic.tracks[0]?.enabled).toBe(true);
    expect(remote.tracks[0]?.enabled).toBe(true);

    // Unhold while still muted keeps the microphone off.
    controller.setMuted(true);
    controller.setHeld(true);
    controller.setHeld(false);
    expect(mic.tracks[0]?.enabled).toBe(false);
  });

  it('ending destroys the peer, stops the microphone and clears the test hook', async () => {
    const { fm, controller, events, streams } = setup();
    await controller.start();
    controller.end();
    controller.end();
    expect(fm.latestPeer().destroyed).toBe(true);
    expect(fm.mics[0]?.tracks[0]?.stopped).toBe(true);
    expect(fm.exposed.at(-1)).toBeNull();
    expect(streams.at(-1)).toBeNull();
    expect(events.filter((e) => e.type === 'ended')).toHaveLength(1);
  });

  it('releases a microphone granted after the call already ended', async () => {
    const { fm, controller } = setup();
    fm.delayMic();
    const starting = controller.start();
    controller.end();
    fm.grantMic();
    await starting;
    expect(fm.peers).toHaveLength(0);
    expect(fm.mics[0]?.tracks[0]?.stopped).toBe(true);
  });

  it('fails with the microphone error', async () => {
    const { controller, events } = setup(new Error('Microphone access was refused.'));
    await controller.start();
    expect(events).toEqual([{ type: 'failed', message: 'Microphone access was refused.', at: 42 }]);
  });

  it('a dropped media connection does not end the call; the customer\'s new offer brings up a new peer', async () => {
    const { fm, controller, events } = setup();
    await controller.start();
    const first = fm.latestPeer();
    first.handlers.onClose();
    expect(events.at(-1)).toEqual({ type: 'media-lost' });
    expect(controller.isActive).toBe(true);
    expect(fm.exposed.at(-1)).toBeNull();

    controller.signal({ type: 'offer', sdp: 'v=0 second' });
    controller.signal({ candidate: { candidate: 'c1' } } as never);
    await vi.waitFor(() => expect(fm.peers).toHaveLength(2));
    const second = fm.latestPeer();
    expect(second).not.toBe(first);
    await vi.waitFor(() => expect(second.received).toHaveLength(2));
    expect(second.received[0]).toEqual({ type: 'offer', sdp: 'v=0 second' });
  });

  it('a second offer to a peer that already answered replaces the peer (customer reloaded)', async () => {
    const { fm, controller } = setup();
    await controller.start();
    const first = fm.latestPeer();
    controller.signal({ type: 'offer', sdp: 'v=0 first' });
    expect(first.received).toHaveLength(1);
    controller.signal({ type: 'offer', sdp: 'v=0 again' });
    await vi.waitFor(() => expect(fm.peers).toHaveLength(2));
    expect(first.destroyed).toBe(true);
    await vi.waitFor(() => expect(fm.latestPeer().received).toEqual([{ type: 'offer', sdp: 'v=0 again' }]));
    expect(controller.isActive).toBe(true);
  });
});
