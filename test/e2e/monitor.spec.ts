import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { heardByMonitor, hears, monitorLevels, settledAfter, SILENT_RMS, traceMonitorLevel, type HeardWindow } from './support/monitor-audio';
import { apiToken } from './support/api';
import { listenFromBoard, monitorPacketsSent, useTone } from './support/monitor-call';
import { noMediasoupWorker } from './support/sfu';
import { signInWithTone } from './support/sign-in';
import { answerWidgetCall } from './support/widget';

const CUSTOMER_HZ = 440;
const AGENT_HZ = 660;
const TONES = [CUSTOMER_HZ, AGENT_HZ] as const;

/** The customer (440 Hz) calls; agent1 (660 Hz) answers a recorded call; resolves once the customer's audio reaches the agent. */
async function connectCall(browser: Browser, url: string, agent: Page): Promise<string> {
  await useTone(agent, AGENT_HZ);
  const interactionId = await answerWidgetCall(browser, url, agent);
  await expect(agent.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'false');
  return interactionId;
}

/** Clicks in the page itself and returns the page's time of the click. */
async function clickNow(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const at = Date.now();
    (document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement).click();
    return at;
  }, testId);
}

const describeHeard = (w: HeardWindow) =>
  `rms ${w.rms.toFixed(4)}, 440 Hz ${(w.tones[CUSTOMER_HZ]! / Math.max(w.noiseFloor, 1e-9)).toFixed(0)}× floor, 660 Hz ${(w.tones[AGENT_HZ]! / Math.max(w.noiseFloor, 1e-9)).toFixed(0)}× floor`;

test('live monitoring over the SFU: super1 hears both sides, nothing during secure pause, audio again after resume; agent1 sees the notice throughout', { tag: '@sfu' }, async ({ browser, server }) => {
  const missing = noMediasoupWorker();
  test.skip(missing !== null, `no usable mediasoup worker on this machine, so there is no SFU to monitor through: ${missing}`);
  // Two signed-in apps, a widget and the SFU on a 2-core machine shared with other work.
  test.setTimeout(180_000);

  const agent = await signInWithTone(browser, server.url, 'agent1');
  const interactionId = await connectCall(browser, server.url, agent);
  const supervisor = await signInWithTone(browser, server.url, 'super1');
  const status = await listenFromBoard(supervisor);
  const notice = agent.getByTestId('monitor-notice');
  await expect(notice).toHaveText(/super1 is listening/);

  // Both sides of the call reach the supervisor: the customer's 440 Hz and the agent's 660 Hz.
  const startedAt = Date.now();
  let live: HeardWindow | undefined;
  await expect
    .poll(async () => {
      live = await heardByMonitor(supervisor, TONES);
      return hears(live, CUSTOMER_HZ) && hears(live, AGENT_HZ);
    }, { timeout: 20_000, intervals: [100] })
    .toBe(true);
  const firstAudioMs = Date.now() - startedAt;
  await expect(notice).toBeVisible();

  // Secure pause: the supervisor's status says so, and nothing of the call reaches them. The click
  // runs in the agent's page and notes its time there (same machine clock as the supervisor's trace).
  await traceMonitorLevel(supervisor);
  const pausedAt = await clickNow(agent, 'secure-pause');
  await expect(agent.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'true');
  await expect(status).toHaveAttribute('data-status', 'paused');
  await expect(status).toContainText('Paused by agent');
  // Audio already in the jitter buffer drains first; then it stays silent.
  let silentAfterMs = 0;
  await expect
    .poll(async () => {
      const w = await heardByMonitor(supervisor, TONES);
      silentAfterMs = Date.now() - pausedAt;
      return w.rms;
    }, { timeout: 10_000, intervals: [100] })
    .toBeLessThan(SILENT_RMS);
  const paused: HeardWindow[] = [];
  for (let i = 0; i < 3; i += 1) paused.push(await heardByMonitor(supervisor, TONES));
  for (const w of paused) {
    expect(w.rms, `paused window: ${describeHeard(w)}`).toBeLessThan(SILENT_RMS);
    expect(hears(w, CUSTOMER_HZ) || hears(w, AGENT_HZ)).toBe(false);
  }
  await expect(notice).toHaveText(/super1 is listening/);
  // Nothing at all leaves the agent's machine for it: the producer's packet count stands still.
  let previous = -1;
  await expect
    .poll(
      async () => {
        const now = (await monitorPacketsSent(agent)) ?? -2;
        const still = now === previous;
        previous = now;
        return still;
      },
      { timeout: 10_000, intervals: [500] },
    )
    .toBe(true);
  const packetsAtPause = previous;

  // Pause latency: from the click to the last sound reaching the supervisor (20 ms level trace).
  const pauseLatencyMs = settledAfter(await monitorLevels(supervisor), pausedAt, 'silent');
  expect(pauseLatencyMs, 'the level trace never went silent after the pause').not.toBeNull();

  // Resume: the audio comes back, both sides.
  await traceMonitorLevel(supervisor);
  const resumedAt = await clickNow(agent, 'secure-pause');
  await expect(agent.getByTestId('secure-pause')).toHaveAttribute('aria-pressed', 'false');
  await expect(status).toHaveAttribute('data-status', 'live');
  let back: HeardWindow | undefined;
  await expect
    .poll(async () => {
      back = await heardByMonitor(supervisor, TONES);
      return hears(back, CUSTOMER_HZ) && hears(back, AGENT_HZ);
    }, { timeout: 15_000, intervals: [100] })
    .toBe(true);
  const backAfterMs = settledAfter(await monitorLevels(supervisor), resumedAt, 'sound');
  expect(await monitorPacketsSent(agent)).toBeGreaterThan(packetsAtPause);
  await expect(notice).toHaveText(/super1 is listening/);

  console.log(
    `[monitor] first audio ${firstAudioMs} ms after live (${describeHeard(live!)}); pause latency ${pauseLatencyMs} ms (click to silence at the supervisor; ` +
      `first silent check ${silentAfterMs} ms), paused windows rms max ${Math.max(...paused.map((w) => w.rms)).toFixed(5)}; ` +
      `audio back ${backAfterMs} ms after resume (${describeHeard(back!)})`,
  );

  // Stop: the agent's notice goes away; start and stop are audited.
  await supervisor.getByTestId('monitor-stop').click();
  await expect(notice).toHaveCount(0);
  await expect(supervisor.getByTestId('board-agent-row').and(supervisor.locator('[data-username="agent1"]')).getByTestId('monitor-start')).toBeVisible();
  const adminToken = await apiToken(server.url, 'admin');
  const audit = async (action: string) =>
    ((await (await fetch(`${server.url}/api/audit?action=${action}`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { entries: { actorName: string; target: string; details: Record<string, unknown> }[] }).entries;
  await expect.poll(async () => (await audit('monitoring.stopped')).map((e) => [e.actorName, e.target, e.details.reason])).toEqual([['super1', interactionId, 'stopped']]);
  expect((await audit('monitoring.started')).map((e) => [e.actorName, e.target])).toEqual([['super1', interactionId]]);
});
