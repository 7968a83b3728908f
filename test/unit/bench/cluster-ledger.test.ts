import { describe, expect, it } from 'vitest';
import { reconnectFigures, routeFigures, timeline } from '../../../bench/cluster/figures';
import { Ledger } from '../../../bench/cluster/ledger';

/** bench/cluster's accounting: what it prints as lost, duplicated and latency must be what happened. */

const live = (seq: number, at: number, node: string) => ({ seq, at, node, live: true });

describe('bench/cluster ledger', () => {
  it('counts a message seen once as delivered, never seen as lost, seen under two seqs as duplicated', () => {
    const l = new Ledger();
    for (const id of ['m1', 'm2', 'm3']) {
      l.send(id, { interactionId: 'i1', at: 0, node: 'a' });
      l.attempt(id, 'a');
      l.ack(id);
    }
    l.seen('m1', live(1, 5, 'a'));
    l.seen('m3', live(2, 6, 'b'));
    l.seen('m3', live(3, 7, 'b')); // stored twice: the recipient shows it twice
    const s = l.summary();
    expect(s).toMatchObject({ sent: 3, delivered: 1, lost: 1, duplicated: 1, lostIds: ['m2'], duplicatedIds: ['m3'], unknown: 0 });
    expect(l.settled()).toBe(false);
  });

  it('a copy from the history handed back on reconnect is delivered, not duplicated; the same seq live twice is a repeated frame', () => {
    const l = new Ledger();
    l.send('m1', { interactionId: 'i1', at: 0, node: 'a' });
    l.send('m2', { interactionId: 'i1', at: 0, node: 'a' });
    l.seen('m1', live(1, 4, 'a'));
    l.seen('m1', { seq: 1, at: 3000, node: 'b', live: false });
    l.seen('m2', { seq: 2, at: 3000, node: 'b', live: false });
    l.seen('m2', live(2, 3001, 'b'));
    l.seen('m2', live(2, 3002, 'b'));
    const s = l.summary();
    expect(s).toMatchObject({ delivered: 2, lost: 0, duplicated: 0, repeatedFrames: 1, historyOnly: 0 });
  });

  it('a message only in history has no latency sample; one never acknowledged is counted; an unknown text is reported', () => {
    const l = new Ledger();
    l.send('m1', { interactionId: 'i1', at: 0, node: 'a' });
    l.seen('m1', { seq: 1, at: 5000, node: 'b', live: false });
    l.seen('zz', live(9, 1, 'a'));
    const s = l.summary();
    expect(s).toMatchObject({ delivered: 1, historyOnly: 1, unacked: 1, unknown: 1 });
    expect(s.latencies).toEqual([]);
    expect(() => l.send('m1', { interactionId: 'i1', at: 1, node: 'a' })).toThrow(/twice/);
  });

  it('latency runs from the first send to the first live copy, routed by where sender and recipient were connected', () => {
    const l = new Ledger();
    l.send('same', { interactionId: 'i1', at: 100, node: null }); // typed while offline: its node is the one it first went out on
    l.attempt('same', 'a');
    l.attempt('same', 'b'); // a resend elsewhere does not move it
    l.seen('same', live(1, 112, 'a'));
    l.seen('same', live(1, 150, 'a'));
    l.send('cross', { interactionId: 'i2', at: 200, node: 'a' });
    l.attempt('cross', 'a');
    l.seen('cross', live(1, 230, 'b'));
    l.send('nowhere', { interactionId: 'i3', at: 300, node: 'a' });
    l.attempt('nowhere', 'a');
    l.seen('nowhere', { seq: 1, at: 310, node: null, live: true });
    expect(l.summary().latencies).toEqual([
      { ms: 12, sentAt: 100, route: 'same', pair: 'a→a' },
      { ms: 30, sentAt: 200, route: 'cross', pair: 'a→b' },
      { ms: 10, sentAt: 300, route: 'unknown', pair: 'a→?' },
    ]);
  });

  it('settles once every message is acknowledged and seen', () => {
    const l = new Ledger();
    l.send('m1', { interactionId: 'i1', at: 0, node: 'a' });
    l.seen('m1', live(1, 1, 'b'));
    expect([l.settled(), l.outstanding()]).toEqual([false, 1]);
    l.ack('m1');
    expect([l.settled(), l.outstanding()]).toEqual([true, 0]);
  });
});

describe('bench/cluster figures', () => {
  it('splits latency by route within a window of send times, with the p99 ratio and the node pairs', () => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) => ({ ms: i + 1, sentAt: 1000 + i, route: 'same' as const, pair: 'a→a' })),
      ...Array.from({ length: 100 }, (_, i) => ({ ms: 2 * (i + 1), sentAt: 1000 + i, route: 'cross' as const, pair: 'a→b' })),
      { ms: 9999, sentAt: 5000, route: 'cross' as const, pair: 'b→a' }, // outside the window
    ];
    const r = routeFigures(samples, 1000, 2000);
    expect(r.same).toEqual({ n: 100, p50: 50, p99: 99, max: 100 });
    expect(r.cross).toEqual({ n: 100, p50: 100, p99: 198, max: 200 });
    expect(r.ratioP99).toBe(2);
    expect([...r.pairs.keys()]).toEqual(['a→a', 'a→b']);
  });

  it('reconnect times count parties that dropped at or after the kill, from the kill and from their own drop', () => {
    const r = reconnectFigures(
      [
        { drops: [10, 1000], reaccepts: [20, 4000] }, // an earlier blip is not the kill's
        { drops: [2500], reaccepts: [3000] },
        { drops: [1200], reaccepts: [] }, // never came back
        { drops: [], reaccepts: [] }, // never dropped
      ],
      1000,
    );
    expect(r).toMatchObject({ dropped: 3, back: 2 });
    expect(r.fromKill).toMatchObject({ n: 2, p50: 2000, p99: 3000 });
    expect(r.fromDrop).toMatchObject({ n: 2, p50: 500, p99: 3000 });
  });

  it('the timeline puts each message in the window it was first sent in, and keeps empty windows (a stall shows as a gap or a high p99)', () => {
    const samples = [
      { ms: 5, sentAt: 1000, route: 'same' as const, pair: 'a→a' },
      { ms: 7, sentAt: 5999, route: 'cross' as const, pair: 'a→b' },
      { ms: 4000, sentAt: 11_000, route: 'same' as const, pair: 'b→b' },
      { ms: 1, sentAt: 16_000, route: 'same' as const, pair: 'b→b' }, // at `to`: outside
    ];
    const t = timeline(samples, 1000, 16_000, 5000);
    expect(t.map((w) => w.fromMs)).toEqual([0, 5000, 10_000]);
    expect(t.map((w) => w.latency.n)).toEqual([2, 0, 1]);
    expect(t[0]!.latency).toMatchObject({ p50: 5, max: 7 });
    expect(t[2]!.latency.p99).toBe(4000);
  });
});
