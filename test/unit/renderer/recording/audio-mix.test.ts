import { afterEach, describe, expect, it, vi } from 'vitest';
import { GATE_OPEN_GUARD_MS, browserMix } from '../../../../renderer/media/audio-mix';

/** A WebAudio context that notes what the mixer does to it: sources made and dropped, gain automation. */
class FakeAudioContext {
  static last: FakeAudioContext;
  currentTime = 5;
  log: string[] = [];
  constructor() {
    FakeAudioContext.last = this;
  }
  resume = async () => undefined;
  close = async () => undefined;
  createMediaStreamDestination() {
    return { stream: { id: 'mix' } };
  }
  createGain() {
    const log = this.log;
    return {
      connect: () => log.push('gain→destination'),
      gain: {
        cancelScheduledValues: (t: number) => void log.push(`cancel ${t}`),
        setValueAtTime: (v: number, t: number) => void log.push(`gain ${v} at ${Number(t.toFixed(3))}`),
      },
    };
  }
  createMediaStreamSource(stream: { id: string }) {
    const log = this.log;
    log.push(`source ${stream.id}`);
    return { connect: () => log.push(`${stream.id}→gain`), disconnect: () => log.push(`drop ${stream.id}`) };
  }
}

const stream = (id: string) => ({ id, getAudioTracks: () => [{}] }) as unknown as MediaStream;

describe('browserMix gate', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('closes at the current audio time and lets go of its sources; opens with fresh sources after the guard', () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const mixer = browserMix([stream('remote'), stream('mic')]);
    const ctx = FakeAudioContext.last;
    expect(ctx.log).toEqual(['gain→destination', 'source remote', 'source mic', 'remote→gain', 'mic→gain']);

    ctx.log.length = 0;
    mixer.gate.close();
    expect(ctx.log).toEqual(['cancel 5', 'gain 0 at 5', 'drop remote', 'drop mic']);

    // New call media while closed: nothing is attached until the gate opens.
    ctx.log.length = 0;
    mixer.setStreams?.([stream('remote2'), stream('mic')]);
    expect(ctx.log).toEqual([]);

    ctx.currentTime = 6;
    mixer.gate.open();
    expect(ctx.log).toEqual(['source remote2', 'source mic', 'remote2→gain', 'mic→gain', 'cancel 6', `gain 1 at ${6 + GATE_OPEN_GUARD_MS / 1000}`]);
  });

  it('a close before the guard is over cancels the pending open; opening an open gate keeps its sources', () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const mixer = browserMix([stream('remote')]);
    const ctx = FakeAudioContext.last;
    ctx.log.length = 0;
    mixer.gate.open(0);
    expect(ctx.log).toEqual(['cancel 5', 'gain 1 at 5']);
    mixer.gate.close();
    ctx.log.length = 0;
    mixer.gate.open(50);
    mixer.gate.close();
    // The close drops what was scheduled from now on, the open at 5.05 included.
    expect(ctx.log).toEqual(['source remote', 'remote→gain', 'cancel 5', 'gain 1 at 5.05', 'cancel 5', 'gain 0 at 5', 'drop remote']);
  });
});
