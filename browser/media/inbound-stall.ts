/**
 * Notices a call's media path breaking long before the browser's ICE state does: over TURN/TCP
 * Chromium says 'disconnected' only 5–7 s after the path went silent. Audio packets, though, come
 * 50 a second for as long as the other side sends: Opus runs without DTX (no `usedtx` in our SDP),
 * and a muted or held microphone (track.enabled = false) still sends silence packets. So when the
 * count of inbound audio packets stops growing for `stallMs`, the path is cut.
 *
 * Pure: fed packet counts and times (from getStats, see inbound-watch.ts), it says when the inbound
 * audio stalled and when it flows again. It only speaks after it has seen packets flow, so a call
 * whose first packets have not arrived yet is never taken for a broken one.
 */

export interface InboundStallOptions {
  /** No new inbound packet for this long: stalled. */
  stallMs: number;
  /** How often the browser side reads the counts (getStats). */
  pollMs: number;
}

/** 1 s without a packet (50 missed packets), read 5 times a second. */
export const DEFAULT_INBOUND_STALL: InboundStallOptions = { stallMs: 1_000, pollMs: 200 };

export type InboundChange = 'stalled' | 'flowing' | null;

export class InboundStallDetector {
  private lastCount: number | null = null;
  private lastProgressAt: number | null = null;
  private seenFlow = false;
  private stalled = false;

  constructor(private readonly options: Pick<InboundStallOptions, 'stallMs'> = DEFAULT_INBOUND_STALL) {}

  /** True between a 'stalled' and the next 'flowing'. */
  get isStalled(): boolean {
    return this.stalled;
  }

  /**
   * The inbound audio packets received so far (null: no inbound audio stream yet) at `now`.
   * Returns the change it makes, if any.
   */
  sample(packets: number | null, now: number): InboundChange {
    if (packets === null) return null;
    const last = this.lastCount;
    this.lastCount = packets;
    if (last === null || packets < last) {
      // The first reading, or a counter that started over (a new stream): a new baseline.
      this.lastProgressAt = now;
      return null;
    }
    if (packets > last) {
      this.lastProgressAt = now;
      this.seenFlow = true;
      if (!this.stalled) return null;
      this.stalled = false;
      return 'flowing';
    }
    if (!this.seenFlow || this.stalled || this.lastProgressAt === null) return null;
    if (now - this.lastProgressAt < this.options.stallMs) return null;
    this.stalled = true;
    return 'stalled';
  }
}
