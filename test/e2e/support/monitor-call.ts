import type { Page } from '@playwright/test';

/** RTP packets the agent's monitoring producer has sent so far (outbound-rtp), or null before it exists. */
export async function monitorPacketsSent(agent: Page): Promise<number | null> {
  return agent.evaluate(async () => {
    const report = await window.__veildeskMonitorProducerStats?.();
    let sent: number | null = null;
    report?.forEach((s: { type: string; packetsSent?: number }) => {
      if (s.type === 'outbound-rtp' && typeof s.packetsSent === 'number') sent = (sent ?? 0) + s.packetsSent;
    });
    return sent;
  });
}
