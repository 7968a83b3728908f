import { afterEach, describe, expect, it, vi } from 'vitest';
import { GATE_OPEN_GUARD_MS, SOURCE_FADE_MS, browserMix } from '../../../../renderer/media/audio-mix';

const t = (x: number) => Number(x.toFixed(3));

/** A WebAudio context that notes what the mixer does to it: sources made and dropped, connections, gain automation. */
class FakeAudioContext {
  static last: FakeAudioContext;
  currentTime = 5;
  log: string[] = [];
  private gains = 0;
  constructor() {
    FakeAudioContext.last = this;
  }
  resume = async () => undefined;
  close = async () => undefined;
  private node(name: string) {
    const log = this.log;
    return {
      name,
      connect: (to: { name: string }) => void log.push(`${name}→${to.name}`),
      disconnect: () => void log.push(`drop ${name}`),
    };
  }
  createMediaStreamDestination() {
    return { ...this.node('destination'), stream: { id: 'mix' } };
  }
  /** The first gain made is the gate; each later one a source's fade. */
  createGain() {
    const name = this.gains === 0 ? 'gate' : `fade${this.gains}`;
    this.gains += 1;
    const log = this.log;
    return {
      ...this.node(name),
      gain: {
        value: 1,
        cancelScheduledValues: (at: number) => void log.push(`${name} cancel ${t(at)}`),
        setValueAtTime: (v: number, at: number) => void log.push(`${name} ${v} at ${t(at)}`),
        linearRampToValueAtTime: (v: number, at: number) => void log.push(`${name} ramp ${v} by ${t(at)}`),
      },
    };
  }
  createMediaStreamSource(stream: { id: string }) {
    this.log.push(`source ${stream.id}`);
    return this.node(stream.id);
  }
}

const stream = (id: string) => ({ id, getAudioTracks: () => [{}] }) as unknown as MediaStream;
const guard = GATE_OPEN_GUARD_MS / 1000;
const fade = SOURCE_FADE_MS / 1000;

describe('browserMix', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends every source through its own fade into the gate', () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    browserMix([stream('remote'), stream('mic')]);
    const ctx = FakeAudioContext.last;
    expect(ctx.log).toEqual(['gate→destination', 'source remote', 'remote→fade1', 'fade1→gate', 'source mic', 'mic→fade2', 'fade2→gate']);
  });

  it('the gate closes at the current audio time and lets go of its sources; opens with fresh sources, silent through the guard, then fades up', () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const mixer = browserMix([stream('remote'), stream('mic')]);
    const ctx = FakeAudioContext.last;

    ctx.log.length = 0;
    mixer.gate.close();
    expect(ctx.log).toEqual(['gate cancel 5', 'gate 0 at 5', 'drop remote', 'drop fade1', 'drop mic', 'drop fade2']);

    // New call media while closed: nothing is attached until the gate opens.
    ctx.log.length = 0;
    mixer.setStreams?.([stream('remote2'), stream('mic')]);
    expect(ctx.log).toEqual([]);

    ctx.currentTime = 6;
    mixer.gate.open();
    expect(ctx.log).toEqual([
      'source remote2',
      'remote2→fade3',
      'fade3→gate',
      'source mic',
      'mic→fade4',
      'fade4→gate',
      'gate cancel 6',
      'gate 0 at 6',
      `gate 0 at ${t(6 + guard)}`,
      `gate ramp 1 by ${t(6 + guard + fade)}`,
    ]);
  });

  it('a close before the guard is over cancels the pending open; opening an open (or opening) gate changes nothing', () => {
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const mixer = browserMix([stream('remote')]);
    const ctx = FakeAudioContext.last;
    ctx.log.length = 0;
    mixer.gate.open(0);
    expect(ctx.log).toEqual([]);
    mixer.gate.close();
    mixer.gate.open(50);
    ctx.log.length = 0;
    mixer.gate.open(0);
    expect(ctx.log).toEqual([]);
    mixer.gate.close();
    // The close drops what was scheduled from now on, the open at 5.05 included.
    expect(ctx.log).toEqual(['gate cancel 5', 'gate 0 at 5', 'drop remote', 'drop fade2']);
  });

  it('while open, a source that joins fades in, one that leaves fades out and is then let go, the ones that stay are untouched', () => {
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', FakeAudioContext);
    const remote = stream('remote');
    const mic = stream('mic');
    const mixer = browserMix([remote, mic]);
    const ctx = FakeAudioContext.last;
    ctx.log.length = 0;

    // A supervisor barges: their voice joins.
    mixer.setStreams?.([remote, mic, stream('voice')]);
    expect(ctx.log).toEqual(['source voice', 'fade3 0 at 5', `fade3 ramp 1 by ${t(5 + fade)}`, 'voice→fade3', 'fade3→gate']);

    // Back to listening: the voice leaves.
    ctx.log.length = 0;
    ctx.currentTime = 7;
    mixer.setStreams?.([remote, mic]);
    expect(ctx.log).toEqual(['fade3 cancel 7', 'fade3 1 at 7', `fade3 ramp 0 by ${t(7 + fade)}`]);
    vi.advanceTimersByTime(SOURCE_FADE_MS * 2);
    expect(ctx.log.slice(3)).toEqual(['drop voice', 'drop fade3']);
  });
});
