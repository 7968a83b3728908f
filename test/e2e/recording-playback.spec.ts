import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { inspectWebm } from '../support/recording-webm';
import { expect, test } from './fixtures';
import { receivedAudio } from './support/audio';
import { apiToken } from './support/api';
import { AGENT_HZ, CALL_PAGE, CUSTOMER_CALL, analyse, clickWithTone, connectCall, decode, finishedRecording, hangUp, recorderStartedAt } from './support/recording';
import { signInAs } from './support/sign-in';
import { openWidget } from './support/widget';

// A recording across a reload mid-call, and playing it back from history; pause and fault tests are in recording.spec.ts.

// A long presence grace, as in recording.spec.ts: the server keeps the agent while the page reloads mid-call.
test.use({ serverOptions: { graceMs: 30_000 } });

/** Init script: the page's clock time its call first shows connected in this document (after a reload too). */
function connectedClock(): void {
  const w = window as unknown as { __connectedAt?: number };
  const watch = () => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="call-state"]')?.getAttribute('data-state') === 'connected') {
        w.__connectedAt = Date.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
  };
  if (document.body) watch();
  else document.addEventListener('DOMContentLoaded', watch);
}

/** Decodes the stored recording in Chromium (as the in-app player would get it); its duration in s. */
async function chromiumDuration(page: Page, url: string, recordingId: string): Promise<number> {
  const supervisor = await apiToken(url, 'super1');
  return page.evaluate(
    async ([u, t]) => {
      const data = await (await fetch(u, { headers: { authorization: `Bearer ${t}` } })).arrayBuffer();
      const audio = await new OfflineAudioContext(1, 1, 48_000).decodeAudioData(data);
      return audio.duration;
    },
    [`${url}/api/recordings/${recordingId}/audio`, supervisor] as const,
  );
}

test('a reload mid-call: the recording is still one playable file of the recorded time, with the pause kept', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId, connectedAt } = await connectCall(agent.page, widget);
  const firstStart = await recorderStartedAt(agent.page);
  await agent.page.waitForTimeout(2000); // recorded
  const pausedAt = await clickWithTone(agent.page, 'secure-pause', AGENT_HZ);
  await expect(agent.page.getByTestId('pause-banner')).toBeVisible();
  await agent.page.waitForTimeout(1500);
  const resumedAt = await clickWithTone(agent.page, 'secure-pause', AGENT_HZ);
  await expect(agent.page.getByTestId('pause-banner')).toHaveCount(0);
  await agent.page.waitForTimeout(2000); // recorded

  // The agent's app reloads mid-call: the session, the call and its recording come back; a second recorder run starts.
  await agent.page.addInitScript(connectedClock);
  const reloadAt = Date.now();
  await agent.page.reload();
  await expect(agent.page.getByTestId('call-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await expect(agent.page.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'false');
  const reconnectedAt = await agent.page.evaluate(() => (window as unknown as { __connectedAt: number }).__connectedAt);
  const secondStart = await recorderStartedAt(agent.page);
  await expect.poll(async () => (await receivedAudio(agent.page, '__veildeskCallPeer')).energy, { timeout: 20_000 }).toBeGreaterThan(0.01);
  await agent.page.waitForTimeout(3000); // recorded
  const endedAt = await hangUp(agent.page);

  const { meta, file } = await finishedRecording(server.url, server.dataDir, interactionId);
  const data = fs.readFileSync(file);
  const report = inspectWebm(file, data);
  const a = analyse(decode(file));
  const pauseMs = resumedAt - pausedAt;
  // The recorder runs: from each page's recorder start; the first ends at the reload.
  const firstRun = (reloadAt - firstStart - pauseMs) / 1000;
  const secondRun = (endedAt - secondStart) / 1000;
  const expected = firstRun + secondRun;
  const inChromium = await chromiumDuration(widget, server.url, meta.id);
  const metaPauseMs = Date.parse(meta.pauses[0]!.endedAt!) - Date.parse(meta.pauses[0]!.startedAt);
  console.log(
    `[recording/reload] file ${a.seconds.toFixed(2)} s (container ${report.formatSeconds?.toFixed(2)} s, Chromium decodes ${inChromium.toFixed(2)} s); ` +
      `recorded ${firstRun.toFixed(2)} s before the reload + ${secondRun.toFixed(2)} s after = ${expected.toFixed(2)} s; reload gap ${((secondStart - reloadAt) / 1000).toFixed(2)} s ` +
      `(call media back after ${((reconnectedAt - reloadAt) / 1000).toFixed(2)} s; recorders started ${firstStart - connectedAt} and ${secondStart - reconnectedAt} ms after the call connected); ` +
      `segments ${JSON.stringify(meta.segments.map((g) => [g.segment, g.chunks]))}, assembly ${meta.assembly}; pause ${(pauseMs / 1000).toFixed(2)} s (server ${(metaPauseMs / 1000).toFixed(2)} s)`,
  );
  expect(meta.segments.map((g) => g.segment)).toEqual([0, 1]);
  expect(meta.assembly).toBe('joined');
  expect(meta.missingChunks).toBe(0);
  // One stream: one header, timestamps that never go back, a declared duration, and Chromium plays all of it.
  expect(report.ebmlHeaders).toBe(1);
  expect(report.monotonic).toBe(true);
  // The declared duration follows the timestamps; a recorder starved of CPU can leave small gaps in them.
  expect(Math.abs(report.formatSeconds! - a.seconds)).toBeLessThanOrEqual(0.5);
  expect(Math.abs(inChromium - a.seconds)).toBeLessThanOrEqual(0.1);
  // The recorded time, within 0.5 s; the reload may also lose what the first page had captured but not yet stored (at most one 1 s chunk).
  expect(a.seconds).toBeLessThanOrEqual(expected + 0.5);
  expect(a.seconds).toBeGreaterThanOrEqual(expected - 0.5 - 1);
  expect(a.with440 / a.windows).toBeGreaterThan(0.8);
  expect(meta.pauses).toHaveLength(1);
  expect(meta.pauses[0]!.actor).toBe('agent1');
  expect(Math.abs(metaPauseMs - pauseMs)).toBeLessThanOrEqual(500);
});

test('a supervisor plays the recording from history with the pause marked; another agent gets 404, as for an unknown recording; plays and downloads are audited apart', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId } = await connectCall(agent.page, widget);
  await agent.page.waitForTimeout(2000);
  await agent.page.getByTestId('secure-pause').click();
  await expect(agent.page.getByTestId('pause-banner')).toBeVisible();
  await agent.page.waitForTimeout(1500);
  await agent.page.getByTestId('secure-pause').click();
  await expect(agent.page.getByTestId('pause-banner')).toHaveCount(0);
  await agent.page.waitForTimeout(2000);
  await hangUp(agent.page);
  const { meta } = await finishedRecording(server.url, server.dataDir, interactionId);

  // Another agent may neither play nor read it.
  const other = await apiToken(server.url, 'agent2');
  expect((await fetch(`${server.url}/api/recordings/${meta.id}/audio`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);
  expect((await fetch(`${server.url}/api/recordings/${meta.id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(404);

  const supervisor = await signInAs(browser, server.url, 'super1', CALL_PAGE);
  await supervisor.page.getByTestId('nav-history').click();
  await supervisor.page.getByTestId('history-row').filter({ has: supervisor.page.getByTestId('history-kind').filter({ hasText: /call/i }) }).first().click();
  await supervisor.page.getByTestId('recording-play').click();
  const player = supervisor.page.getByTestId('recording-player');
  await expect(player).toBeVisible();
  await expect(player.getByTestId('pause-mark')).toHaveCount(1);
  // The file the app fetched is playable audio.
  await expect.poll(() => player.getByTestId('recording-audio').evaluate((a: HTMLAudioElement) => a.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  const downloaded = supervisor.page.waitForEvent('download');
  await supervisor.page.getByTestId('recording-download').click();
  expect((await downloaded).suggestedFilename()).toBe(`recording-${meta.id}.webm`);

  const admin = await apiToken(server.url, 'admin');
  const audit = async (action: string) =>
    ((await (await fetch(`${server.url}/api/audit?action=${action}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { entries: { actorName: string; target: string }[] }).entries;
  await expect.poll(async () => (await audit('recording.played')).map((e) => [e.actorName, e.target])).toEqual([['super1', meta.id]]);
  expect((await audit('recording.downloaded')).map((e) => [e.actorName, e.target])).toEqual([['super1', meta.id]]);
  expect((await audit('recording.paused')).map((e) => e.actorName)).toEqual(['agent1']);
});
