import { DEFAULT_INBOUND_STALL, InboundStallDetector, type InboundStallOptions } from './inbound-stall';

/**
 * Reads a connection's inbound audio packet count (getStats) every `pollMs` and tells when it
 * stalls and when it flows again (inbound-stall.ts decides). One read at a time; a failed read
 * counts as none. Stops by itself once the connection is closed.
 */
export function watchInboundAudio(
  pc: RTCPeerConnection,
  onChange: (stalled: boolean) => void,
  options: InboundStallOptions = DEFAULT_INBOUND_STALL,
  now: () => number = Date.now,
): { stop(): void } {
  const detector = new InboundStallDetector(options);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const read = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    if (pc.signalingState === 'closed') {
      stopped = true;
      return;
    }
    const packets = await pc.getStats().then(inboundAudioPackets, () => null);
    if (stopped) return;
    const change = detector.sample(packets, now());
    if (change) onChange(change === 'stalled');
    timer = setTimeout(() => void read(), options.pollMs);
  };
  timer = setTimeout(() => void read(), options.pollMs);
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** Audio packets received on every inbound audio stream of a stats report; null when there is none. */
export function inboundAudioPackets(report: RTCStatsReport): number | null {
  let total: number | null = null;
  report.forEach((s: { type?: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio' && typeof s.packetsReceived === 'number') total = (total ?? 0) + s.packetsReceived;
  });
  return total;
}
