import fs from 'node:fs';
import type { Page, WebSocketRoute } from '@playwright/test';
import { inspectWebm } from '../support/recording-webm';
import { expect, test } from './fixtures';
import { receivedAudio } from './support/audio';
import { apiToken } from './support/api';
import { AGENT_HZ, CALL_PAGE, CUSTOMER_CALL, CUSTOMER_HZ, PAUSE_HZ, analyse, clickAt, clickWithTone, connectCall, decode, finishedRecording, hangUp, recorderStartedAt, setTone, setToneAt } from './support/recording';
import { signInAs } from './support/sign-in';
import { openWidget } from './support/widget';

// A long presence grace: the fault test cuts the agent's connection for 10 s mid-call.
test.use({ serverOptions: { graceMs: 30_000 } });

test('secure pause: the stored recording has the call without the paused part, one pause interval, no 3 kHz', async ({ browser, server }) => {
  test.setTimeout(120_000);
  const agent = await signInAs(browser, server.url, 'agent1', CALL_PAGE);
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId, connectedAt } = await connectCall(agent.page, widget);
  const pauseButton = agent.page.getByTestId('secure-pause');
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'false');

  await agent.page.waitForTimeout(4000); // recorded: 440 Hz (customer) + 660 Hz (agent)
  // The customer's microphone turns to 3 kHz at the moment the agent clicks secure pause (as the
  // issue specifies); any 3 kHz in the recording is audio the recorder kept after the click. Both
  // pages act at one agreed instant on the shared clock, so the test's own round trips to two
  // browsers do not skew it; a busy agent window delaying the click handler counts, as it would for
  // a person.
  const pausedAt = Date.now() + 300;
  const [, handledAt] = await Promise.all([setToneAt(widget, PAUSE_HZ, pausedAt), clickAt(agent.page, 'secure-pause', pausedAt)]);
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'true');
  await expect(agent.page.getByTestId('pause-banner')).toContainText('Recording paused');
  await expect(agent.page.getByTestId('recording-indicator')).toHaveAttribute('data-paused', 'true');
  // The agent still hears the customer (3 kHz now): the call goes on, only the recording stops.
  await agent.page.waitForTimeout(3000);
  // Back to 440 Hz (and 660 Hz) just before the resume; the 3 kHz still travelling to the agent drains first.
  await setTone(widget, CUSTOMER_HZ);
  await agent.page.waitForTimeout(600);
  const resumedAt = await clickWithTone(agent.page, 'secure-pause', AGENT_HZ);
  await expect(pauseButton).toHaveAttribute('aria-pressed', 'false');
  await expect(agent.page.getByTestId('pause-banner')).toHaveCount(0);
  await agent.page.waitForTimeout(3000);
  const endedAt = await hangUp(agent.page);

  const { meta, file } = await finishedRecording(server.url, server.dataDir, interactionId);
  const samples = decode(file);
  const a = analyse(samples);
  const pauseMs = resumedAt - pausedAt;
  const expectedSeconds = (endedAt - connectedAt - pauseMs) / 1000;
  const metaPauseMs = Date.parse(meta.pauses[0]!.endedAt!) - Date.parse(meta.pauses[0]!.startedAt);
  console.log(
    `[recording] file ${a.seconds.toFixed(2)} s; call ${((endedAt - connectedAt) / 1000).toFixed(2)} s − pause ${(pauseMs / 1000).toFixed(2)} s = ${expectedSeconds.toFixed(2)} s; ` +
      `server: pause ${(metaPauseMs / 1000).toFixed(2)} s, durationMs ${meta.durationMs}; chunks ${meta.chunks}; ` +
      `250 ms windows: ${a.with440}/${a.windows} with 440 Hz, ${a.with3000} with 3 kHz; click handled ${handledAt - pausedAt} ms after the tone switch; ` +
      `pause latency: ${a.ms3000.toFixed(0)} ms of 3 kHz in the recording` +
      (a.at3000.length ? ` at ${JSON.stringify(a.at3000)} s (pause ${((pausedAt - connectedAt) / 1000).toFixed(2)} s into the call)` : ''),
  );
  expect(a.with440 / a.windows).toBeGreaterThan(0.8);
  // Nothing of the paused part: 3 kHz may show only as the pause latency at the pause moment
  // (one 250 ms window at most), within the 50 ms target.
  expect(a.ms3000).toBeLessThanOrEqual(50);
  expect(a.with3000).toBeLessThanOrEqual(a.ms3000 > 0 ? 1 : 0);
  expect(Math.abs(a.seconds - expectedSeconds)).toBeLessThanOrEqual(0.5);
  expect(meta.pauses).toHaveLength(1);
  expect(meta.pauses[0]!.actor).toBe('agent1');
  expect(Math.abs(metaPauseMs - pauseMs)).toBeLessThanOrEqual(500);
  expect(meta.missingChunks).toBe(0);
  expect(meta.segments).toHaveLength(1);
  expect(meta.assembly).toBe('single');
});

test('a 10 s connection cut mid-call loses nothing: chunks wait in IndexedDB and the recording is complete', async ({ browser, server }) => {
  test.setTimeout(120_000);
  let cut = false;
  const sockets: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  const agent = await signInAs(browser, server.url, 'agent1', {
    ...CALL_PAGE,
    beforeLoad: async (context) => {
      // A test proxy for the agent's WebSocket: while cut, the server side is closed and reconnects are refused.
      await context.routeWebSocket(/\/ws$/, (ws) => {
        if (cut) return void ws.close({ code: 1012, reason: 'cut' });
        sockets.push({ page: ws, server: ws.connectToServer() });
      });
    },
  });
  const widget = await openWidget(browser, server.url, CUSTOMER_CALL);
  const { interactionId, connectedAt } = await connectCall(agent.page, widget);
  const recorderAt = await recorderStartedAt(agent.page);
  await agent.page.waitForTimeout(3000);

  let failedUploads = 0;
  const failUploads = async (route: { abort(code: string): Promise<void> }) => {
    failedUploads += 1;
    await route.abort('internetdisconnected');
  };
  cut = true;
  await agent.page.route('**/api/recordings/**', failUploads);
  for (const s of sockets.splice(0)) {
    await s.server.close({ code: 1012, reason: 'cut' }).catch(() => undefined);
    await s.page.close({ code: 1012, reason: 'cut' }).catch(() => undefined);
  }
  await expect(agent.page.getByTestId('call-state')).toHaveAttribute('data-state', 'connected');
  await agent.page.waitForTimeout(10_000);
  // What waits on the agent's disk meanwhile is ciphertext, not audio: no WebM header or cluster at
  // the start of any stored chunk, every one marked sealed (format byte 2).
  const queued = await queuedRecorderChunks(agent.page);
  expect(queued.length).toBeGreaterThan(3);
  for (const c of queued) {
    expect(c.sealed).toBe(true);
    expect(c.head[0]).toBe(2);
    expect([WEBM_EBML_ID, WEBM_CLUSTER_ID]).not.toContainEqual(c.head.slice(0, 4));
  }
  cut = false;
  await agent.page.unroute('**/api/recordings/**', failUploads);
  expect(failedUploads).toBeGreaterThan(3);
  // The app reconnects by itself and sends what waited.
  await expect.poll(() => sockets.length, { timeout: 20_000 }).toBeGreaterThan(0);
  await agent.page.waitForTimeout(3000);
  const endedAt = await hangUp(agent.page);

  const { meta, file } = await finishedRecording(server.url, server.dataDir, interactionId);
  const a = analyse(decode(file));
  // What the recorder ran for: completeness is the point here, not how soon it started on a loaded machine.
  const expectedSeconds = (endedAt - recorderAt) / 1000;
  console.log(
    `[recording/fault] ${failedUploads} uploads failed during the cut; ${meta.chunks} chunks, missing ${JSON.stringify(meta.segments.map((g) => g.missingSeqs))}; ` +
      `file ${a.seconds.toFixed(2)} s for ${expectedSeconds.toFixed(2)} s of recorder run (started ${recorderAt - connectedAt} ms after the call connected); ${a.with440}/${a.windows} windows with 440 Hz`,
  );
  expect(meta.missingChunks).toBe(0);
  expect(meta.segments).toHaveLength(1);
  expect(meta.pauses).toEqual([]);
  expect(Math.abs(a.seconds - expectedSeconds)).toBeLessThanOrEqual(1);
  expect(a.with440 / a.windows).toBeGreaterThan(0.8);
});

const WEBM_EBML_ID = [0x1a, 0x45, 0xdf, 0xa3];
const WEBM_CLUSTER_ID = [0x1f, 0x43, 0xb6, 0x75];

/** The recorder's upload queue as stored in the page's IndexedDB: per chunk, its sealed mark and first bytes. */
async function queuedRecorderChunks(page: Page): Promise<{ sealed: boolean; head: number[] }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('veildesk-recorder');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      const rows = await new Promise<{ sealed?: boolean; data: ArrayBuffer }[]>((resolve, reject) => {
        const all = db.transaction('chunks').objectStore('chunks').getAll();
        all.onsuccess = () => resolve(all.result as { sealed?: boolean; data: ArrayBuffer }[]);
        all.onerror = () => reject(all.error);
      });
      return rows.map((r) => ({ sealed: r.sealed === true, head: Array.from(new Uint8Array(r.data).slice(0, 4)) }));
    } finally {
      db.close();
    }
  });
}

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

test('a supervisor plays the recording from history with the pause marked; another agent gets 403; plays and downloads are audited apart', async ({ browser, server }) => {
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
  expect((await fetch(`${server.url}/api/recordings/${meta.id}/audio`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);
  expect((await fetch(`${server.url}/api/recordings/${meta.id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);

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
