import { expect, type Locator, type Page } from '@playwright/test';

/** The tone the page's fake microphone plays from its next start (support/audio.ts); setTone changes a running one. */
export async function useTone(page: Page, hz: number): Promise<void> {
  await page.evaluate((f) => ((window as unknown as { __toneHz: number }).__toneHz = f), hz);
}

/**
 * The supervisor opens the board and listens to `username`'s call; resolves with the monitor
 * status once it is live (the agent's app has taken the publish frame and sends).
 */
export async function listenFromBoard(supervisor: Page, username = 'agent1'): Promise<Locator> {
  await supervisor.getByTestId('nav-board').click();
  const row = supervisor.getByTestId('board-agent-row').and(supervisor.locator(`[data-username="${username}"]`));
  await expect(row).toHaveAttribute('data-activity', 'call');
  await row.getByTestId('monitor-start').click();
  const status = supervisor.getByTestId('monitor-status');
  await expect(status).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  return status;
}

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
