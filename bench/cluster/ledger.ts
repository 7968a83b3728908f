/**
 * The bench's exactly-once accounting, kept apart from sockets and timers so a unit test can prove
 * it cannot lie (test/unit/bench/cluster-ledger.test.ts).
 *
 * Every message a simulated party means to send is entered once, under its own id (also its
 * clientMsgId and its text), with the moment it was "typed". The recipient reports each copy it
 * sees: live (`chat.message` as it happens) or from history (the conversation the server hands back
 * on a reconnect: `hello.customer`, `interaction.opened`), with the seq the server gave it.
 *
 * - delivered: sent and seen by the recipient under exactly one seq;
 * - duplicated: seen under two or more seqs (stored twice: the recipient shows it twice);
 * - lost: sent and never seen by the recipient, live or in history;
 * - repeated frames: the same seq arriving live twice (the apps merge by seq, so not a duplicate
 *   on screen, but counted so a relay that doubles frames shows up);
 * - unknown: a message the recipient saw that nobody sent (must be 0).
 *
 * Latency is from the first send to the first live copy, split by where the sender and the
 * recipient were connected at that moment: `same` node or `cross` node.
 */
/** 'unknown': the sender's or the recipient's node was not known at that moment (counted in neither). */
export type Route = 'same' | 'cross' | 'unknown';

export interface SendInfo {
  interactionId: string;
  /** performance.now() when the party "pressed send" (first attempt). */
  at: number;
  /** The node the sender was connected to (null: not connected, the message waits in its outbox). */
  node: string | null;
}

export interface SeenInfo {
  seq: number;
  at: number;
  /** The node the recipient's socket is connected to. */
  node: string | null;
  live: boolean;
}

interface Entry extends SendInfo {
  acked: boolean;
  attempts: number;
  seqs: Set<number>;
  liveSeqs: Set<number>;
  firstLive: { at: number; node: string | null } | null;
}

export interface LatencySample {
  ms: number;
  sentAt: number;
  route: Route;
  /** "<sender node>→<recipient node>". */
  pair: string;
}

export interface LedgerSummary {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  repeatedFrames: number;
  unknown: number;
  /** Sent but never acknowledged to the sender (its echo never came). */
  unacked: number;
  /** Delivered only through history after a reconnect, never live. */
  historyOnly: number;
  maxAttempts: number;
  lostIds: string[];
  duplicatedIds: string[];
  latencies: LatencySample[];
}

export class Ledger {
  private readonly entries = new Map<string, Entry>();
  private unknown = new Set<string>();
  private repeated = 0;

  /** A party means to send message `id` (first attempt). Throws on an id used twice: the bench's own bug. */
  send(id: string, info: SendInfo): void {
    if (this.entries.has(id)) throw new Error(`message id ${id} entered twice`);
    this.entries.set(id, { ...info, acked: false, attempts: 0, seqs: new Set(), liveSeqs: new Set(), firstLive: null });
  }

  /** The message went out on a socket (first send or a resend). */
  attempt(id: string, node: string | null): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.attempts += 1;
    if (e.attempts === 1 || e.node === null) e.node = node;
  }

  /** The sender got its echo (chat.message with its clientMsgId). */
  ack(id: string): void {
    const e = this.entries.get(id);
    if (e) e.acked = true;
  }

  isPending(id: string): boolean {
    const e = this.entries.get(id);
    return e !== undefined && !e.acked;
  }

  /** The recipient saw message `id` (its text) under `seen.seq`. */
  seen(id: string, seen: SeenInfo): void {
    const e = this.entries.get(id);
    if (!e) {
      this.unknown.add(id);
      return;
    }
    e.seqs.add(seen.seq);
    if (!seen.live) return;
    if (e.liveSeqs.has(seen.seq)) this.repeated += 1;
    e.liveSeqs.add(seen.seq);
    e.firstLive ??= { at: seen.at, node: seen.node };
  }

  /** Whether every message sent so far was acknowledged to its sender and seen by its recipient. */
  settled(): boolean {
    for (const e of this.entries.values()) if (!e.acked || e.seqs.size === 0) return false;
    return true;
  }

  get sentCount(): number {
    return this.entries.size;
  }

  /** Messages not yet settled (for progress lines). */
  outstanding(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.acked || e.seqs.size === 0) n += 1;
    return n;
  }

  summary(): LedgerSummary {
    const s: LedgerSummary = { sent: 0, delivered: 0, lost: 0, duplicated: 0, repeatedFrames: this.repeated, unknown: this.unknown.size, unacked: 0, historyOnly: 0, maxAttempts: 0, lostIds: [], duplicatedIds: [], latencies: [] };
    for (const [id, e] of this.entries) {
      s.sent += 1;
      s.maxAttempts = Math.max(s.maxAttempts, e.attempts);
      if (!e.acked) s.unacked += 1;
      if (e.seqs.size === 0) {
        s.lost += 1;
        s.lostIds.push(id);
        continue;
      }
      if (e.seqs.size > 1) {
        s.duplicated += 1;
        s.duplicatedIds.push(id);
      } else s.delivered += 1;
      if (!e.firstLive) {
        s.historyOnly += 1;
        continue;
      }
      s.latencies.push({
        ms: e.firstLive.at - e.at,
        sentAt: e.at,
        route: e.node === null || e.firstLive.node === null ? 'unknown' : e.node === e.firstLive.node ? 'same' : 'cross',
        pair: `${e.node ?? '?'}→${e.firstLive.node ?? '?'}`,
      });
    }
    return s;
  }
}
