import { describe, expect, it, vi } from 'vitest';
import { openChosenMicrophone } from '../../../../renderer/media/chosen-microphone';

/** A fake track: 'ended' can be fired (an unplug), stop is recorded. */
function fakeTrack(name: string) {
  const listeners: Array<() => void> = [];
  const track = {
    name,
    stopped: false,
    addEventListener: (_type: string, l: () => void) => listeners.push(l),
    stop() {
      track.stopped = true;
    },
    unplug: () => listeners.forEach((l) => l()),
  };
  return track;
}
type FakeTrack = ReturnType<typeof fakeTrack>;
const streamOf = (track: FakeTrack) => ({ track, getAudioTracks: () => [track], getTracks: () => [track] }) as unknown as MediaStream & { track: FakeTrack };

function fakeAudio() {
  const connected: string[] = [];
  const out = fakeTrack('out');
  const outStream = { getAudioTracks: () => [out], getTracks: () => [out] } as unknown as MediaStream;
  const ctx = {
    state: 'running',
    closed: false,
    createMediaStreamDestination: () => ({ stream: outStream }),
    createMediaStreamSource: (s: MediaStream & { track: FakeTrack }) => ({
      connect: () => connected.push(s.track.name),
      disconnect: () => connected.splice(connected.indexOf(s.track.name), 1),
    }),
    resume: async () => undefined,
    close: async () => {
      ctx.closed = true;
    },
  };
  return { ctx, connected, out, outStream };
}

const named = (name: string) => Object.assign(new Error(name), { name });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the chosen microphone through an unplug', () => {
  it('gives the system default straight to the call when nothing is chosen', async () => {
    const mic = streamOf(fakeTrack('default'));
    const getUserMedia = vi.fn(async () => mic);
    expect(await openChosenMicrophone('', vi.fn(), { mediaDevices: { getUserMedia } })).toBe(mic);
  });

  it('swaps the default in when the chosen device is unplugged mid-call, in the same outgoing track, and tells the agent', async () => {
    const headset = streamOf(fakeTrack('headset'));
    const builtIn = streamOf(fakeTrack('default'));
    const getUserMedia = vi.fn(async (c: MediaStreamConstraints) => (typeof c.audio === 'object' ? headset : builtIn));
    const audio = fakeAudio();
    const onFallback = vi.fn();
    const stream = await openChosenMicrophone('headset-id', onFallback, { mediaDevices: { getUserMedia }, createContext: () => audio.ctx as unknown as AudioContext });
    expect(stream).toBe(audio.outStream);
    expect(audio.connected).toEqual(['headset']);
    expect(onFallback).not.toHaveBeenCalled();

    headset.track.unplug();
    await flush();
    expect(onFallback).toHaveBeenCalledOnce();
    expect(audio.connected).toEqual(['default']);
    expect(getUserMedia).toHaveBeenLastCalledWith({ audio: true, video: false });

    // Hanging up releases the real microphone and the graph.
    stream.getAudioTracks()[0]!.stop();
    expect(builtIn.track.stopped).toBe(true);
    expect(audio.ctx.closed).toBe(true);
  });

  it('starts on the default (told) when the chosen device is already gone', async () => {
    const builtIn = streamOf(fakeTrack('default'));
    const getUserMedia = vi.fn(async (c: MediaStreamConstraints) => {
      if (typeof c.audio === 'object') throw named('NotFoundError');
      return builtIn;
    });
    const onFallback = vi.fn();
    expect(await openChosenMicrophone('gone', onFallback, { mediaDevices: { getUserMedia } })).toBe(builtIn);
    expect(onFallback).toHaveBeenCalledOnce();
  });
});
