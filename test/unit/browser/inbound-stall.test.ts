import { describe, expect, it } from 'vitest';
import { InboundStallDetector } from '../../../browser/media/inbound-stall';
import { inboundAudioPackets } from '../../../browser/media/inbound-watch';

/** Feeds a count every 250 ms from `from` (ms) with `perTick` new packets each time; returns the changes seen. */
function feed(d: InboundStallDetector, start: { count: number; at: number }, ticks: number, perTick: number) {
  const changes: Array<{ at: number; change: string }> = [];
  let { count, at } = start;
  for (let i = 0; i < ticks; i++) {
    count += perTick;
    at += 250;
    const change = d.sample(count, at);
    if (change) changes.push({ at, change });
  }
  return { changes, end: { count, at } };
}

describe('inbound audio stall detector', () => {
  it('audio flowing 50 packets a second is never a stall', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    expect(d.sample(0, 0)).toBeNull();
    expect(feed(d, { count: 0, at: 0 }, 400, 12).changes).toEqual([]);
    expect(d.isStalled).toBe(false);
  });

  it('a cut path: stalled 1.2 s after the last packet arrived, flowing again with the first new one', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    d.sample(0, 0);
    const flowing = feed(d, { count: 0, at: 0 }, 8, 12); // 2 s of audio, last progress at 2 000
    const cut = feed(d, flowing.end, 8, 0);
    expect(cut.changes).toEqual([{ at: 3_250, change: 'stalled' }]);
    expect(d.isStalled).toBe(true);
    // Said once, not on every reading.
    expect(feed(d, cut.end, 20, 0).changes).toEqual([]);
    expect(d.sample(cut.end.count + 3, 10_000)).toBe('flowing');
    expect(d.isStalled).toBe(false);
  });

  it('a pause shorter than the threshold (a lost burst) is not a stall', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    d.sample(100, 0);
    d.sample(150, 1_000);
    expect(d.sample(150, 2_000)).toBeNull();
    expect(d.sample(151, 2_150)).toBeNull();
    expect(d.isStalled).toBe(false);
  });

  it('before any packet arrived (the call still setting up) nothing is a stall', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    expect(d.sample(null, 0)).toBeNull();
    expect(d.sample(0, 250)).toBeNull();
    expect(d.sample(0, 10_000)).toBeNull();
    expect(d.isStalled).toBe(false);
  });

  it('readings far apart (a throttled background timer) still see the audio flowing', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    d.sample(0, 0);
    expect(d.sample(50, 1_000)).toBeNull();
    expect(d.sample(3_050, 61_000)).toBeNull();
    expect(d.isStalled).toBe(false);
  });

  it('a counter that starts over (a new stream) is a new baseline, not a stall', () => {
    const d = new InboundStallDetector({ stallMs: 1_200 });
    d.sample(0, 0);
    d.sample(500, 1_000);
    expect(d.sample(3, 1_250)).toBeNull();
    expect(d.sample(3, 2_000)).toBeNull();
    expect(d.sample(3, 2_450)).toBe('stalled');
  });

  it('counts the inbound audio packets of a stats report, ignoring video and outbound', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['a', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 40 }],
      ['b', { type: 'inbound-rtp', kind: 'video', packetsReceived: 900 }],
      ['c', { type: 'outbound-rtp', kind: 'audio', packetsSent: 70 }],
      ['d', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 2 }],
    ]) as unknown as RTCStatsReport;
    expect(inboundAudioPackets(report)).toBe(42);
    expect(inboundAudioPackets(new Map() as unknown as RTCStatsReport)).toBeNull();
  });
});
