import { percentile } from '../lib/stats';
import type { LatencySample } from './ledger';

/** The bench's figures from the ledger's samples and the parties' reconnects: pure, unit-tested. */

export interface Dist {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function dist(values: readonly number[]): Dist {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: percentile(values, 100) };
}

export interface RouteFigures {
  same: Dist;
  cross: Dist;
  /** cross p99 / same p99 (NaN when either side has no sample). */
  ratioP99: number;
  /** Per "<sender node>→<recipient node>". */
  pairs: Map<string, Dist>;
}

/** Latency of the messages first sent in [from, to), by route and by node pair. */
export function routeFigures(samples: readonly LatencySample[], from: number, to: number): RouteFigures {
  const inWindow = samples.filter((s) => s.sentAt >= from && s.sentAt < to);
  const byPair = new Map<string, number[]>();
  for (const s of inWindow) byPair.set(s.pair, [...(byPair.get(s.pair) ?? []), s.ms]);
  const same = dist(inWindow.filter((s) => s.route === 'same').map((s) => s.ms));
  const cross = dist(inWindow.filter((s) => s.route === 'cross').map((s) => s.ms));
  return {
    same,
    cross,
    ratioP99: same.n && cross.n ? cross.p99 / same.p99 : Number.NaN,
    pairs: new Map([...byPair].sort((a, b) => a[0].localeCompare(b[0])).map(([pair, ms]) => [pair, dist(ms)])),
  };
}

export interface ReconnectFigures {
  /** Parties whose connection dropped at or after the kill. */
  dropped: number;
  /** Of those, connected (hello accepted) again. */
  back: number;
  /** From the kill to accepted again, per party that came back. */
  fromKill: Dist;
  /** From the party's own drop to accepted again. */
  fromDrop: Dist;
}

/**
 * Reconnect times after a kill at `killAt`: each party's first drop at or after it, and its first
 * acceptance after that drop. A party whose socket never dropped is not counted (it did not need to reconnect).
 */
export function reconnectFigures(parties: readonly { drops: readonly number[]; reaccepts: readonly number[] }[], killAt: number): ReconnectFigures {
  const fromKill: number[] = [];
  const fromDrop: number[] = [];
  let dropped = 0;
  for (const p of parties) {
    const drop = p.drops.find((t) => t >= killAt);
    if (drop === undefined) continue;
    dropped += 1;
    const back = p.reaccepts.find((t) => t >= drop);
    if (back === undefined) continue;
    fromKill.push(back - killAt);
    fromDrop.push(back - drop);
  }
  return { dropped, back: fromKill.length, fromKill: dist(fromKill), fromDrop: dist(fromDrop) };
}

export interface TimelineWindow {
  /** Window start, ms after `from`. */
  fromMs: number;
  /** Messages first sent in the window and delivered live (history-only deliveries have no latency). */
  latency: Dist;
}

/**
 * Latency by when the message was first sent, in windows of `windowMs` from `from` up to `to`
 * (a window with no delivered sample still appears, n = 0): shows when a stall happened, which
 * one p99 over the whole run cannot.
 */
export function timeline(samples: readonly LatencySample[], from: number, to: number, windowMs: number): TimelineWindow[] {
  const count = Math.max(0, Math.ceil((to - from) / windowMs));
  const buckets: number[][] = Array.from({ length: count }, () => []);
  for (const s of samples) {
    if (s.sentAt < from || s.sentAt >= to) continue;
    buckets[Math.floor((s.sentAt - from) / windowMs)]!.push(s.ms);
  }
  return buckets.map((ms, i) => ({ fromMs: i * windowMs, latency: dist(ms) }));
}
