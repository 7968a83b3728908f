/**
 * Screen-share fan-out bench: one sharer, 1 then 5 viewers, peer to peer and through the SFU, in one
 * run, with the real app (web build) and a real backend on loopback.
 *  - The sharer runs in its own Chromium, so its CPU (all its processes, from /proc) is its alone;
 *    its upstream bitrate is the sum of `bytesSent` of every outbound video RTP stream of every
 *    RTCPeerConnection in its page. Target with the SFU: 5 viewers ≤ 1.2× the cost of 1.
 *  - Each viewer is its own browser context in a second Chromium; join click → first frame on its
 *    <video> (requestVideoFrameCallback), measured in the viewer's page. Target via SFU: < 500 ms.
 *
 * Usage: npm run bench:fanout [-- --seconds 10 --static-dir <web build other than dist/renderer>]
 * Needs the mediasoup worker for the SFU half (npm run mediasoup:worker); without it only P2P runs.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findWorkerBinary } from '../../server/modules/media/worker-binary';
import { startTestServer } from '../../test/support/server';
import { fmt, percentile } from '../lib/stats';
import { browserCpu, findBrowserPid } from '../share/cpu';
import { ARM_TIMING, FAKE_SCREEN, setRect, signIn } from '../share/join';
import { CHROMIUM_ARGS, findChromium } from '../../test/support/chromium';
import { cliOptions } from '../lib/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = cliOptions();
const SECONDS = Number(arg('seconds', '10'));
const WARMUP_MS = 4000;
const STATIC_DIR = arg('static-dir', '') || path.join(root, 'dist/renderer');
const CHROMIUM = findChromium();
const BROWSER_ARGS = [...CHROMIUM_ARGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'];
/** The demo org's other users, all chosen as viewers; the first one joins alone first. */
const VIEWERS = [
  { username: 'super1', name: 'Sam Supervisor' },
  { username: 'super2', name: 'Sky Supervisor' },
  { username: 'admin', name: 'Avery Admin' },
  { username: 'agent2', name: 'Ben Agent' },
  { username: 'agent3', name: 'Cleo Agent' },
];

/** Keeps every RTCPeerConnection the page creates, so the bench can read their stats. */
const TRACK_PEERS = `(() => {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...a) { const pc = new Original(...a); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Original.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Original);
})()`;

/** Bytes sent so far by every outbound video stream of every open peer connection. */
async function bytesSent(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let sum = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') sum += s.bytesSent ?? 0;
      });
    }
    return sum;
  });
}

interface Cost {
  viewers: number;
  cpu: number;
  kbps: number;
}

async function measure(sharerPid: number, sharer: Page, viewers: number): Promise<Cost> {
  await sharer.waitForTimeout(WARMUP_MS);
  const cpu0 = browserCpu(sharerPid).total;
  const bytes0 = await bytesSent(sharer);
  const t0 = Date.now();
  await sharer.waitForTimeout(SECONDS * 1000);
  const seconds = (Date.now() - t0) / 1000;
  const cpu1 = browserCpu(sharerPid).total;
  const bytes1 = await bytesSent(sharer);
  return { viewers, cpu: (cpu1 - cpu0) / seconds, kbps: ((bytes1 - bytes0) * 8) / 1000 / seconds };
}

/** Clicks Join on the viewer's page; resolves with click → first frame in ms. */
async function join(viewer: Page): Promise<number> {
  await viewer.evaluate(ARM_TIMING);
  await viewer.getByTestId('share-join').click();
  await viewer.waitForFunction(() => (window as unknown as { __join?: { frameAt?: number } }).__join?.frameAt !== undefined, undefined, { timeout: 20_000 });
  const t = await viewer.evaluate(() => (window as unknown as { __join: { clickAt: number; frameAt: number } }).__join);
  return t.frameAt - t.clickAt;
}

async function runTransport(transport: 'p2p' | 'sfu'): Promise<{ costs: Cost[]; joins: number[]; rejoins: number[] }> {
  const server = await startTestServer({ graceMs: 1500, env: { VEILDESK_STATIC_DIR: STATIC_DIR, VEILDESK_SHARE_TRANSPORT: transport } });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-fanout-sharer-'));
  let sharerContext: BrowserContext | null = null;
  let viewersBrowser: Browser | null = null;
  try {
    sharerContext = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
    await sharerContext.addInitScript({ content: TRACK_PEERS });
    const sharerPid = findBrowserPid(profile);
    if (!sharerPid) throw new Error('could not find the sharer’s Chromium process');
    viewersBrowser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
    const sharer = await signIn(sharerContext, server.url, 'agent1', FAKE_SCREEN);
    const viewerPages: Page[] = [];
    for (const v of VIEWERS) viewerPages.push(await signIn(viewersBrowser, server.url, v.username));

    await sharer.getByTestId('share-open').click();
    const panel = sharer.getByTestId('share-panel');
    await panel.getByTestId('share-start').waitFor();
    await setRect(panel, 'share-region', { x: 100, y: 60, width: 800, height: 600 });
    await panel.getByTestId('share-mask-add').click();
    await setRect(panel.getByTestId('share-mask'), 'share-mask', { x: 200, y: 100, width: 160, height: 120 });
    for (const v of VIEWERS) await panel.locator('label', { hasText: v.name }).getByTestId('share-viewer').check();
    await panel.getByTestId('share-start').click();
    await panel.getByTestId('share-live').waitFor();
    const used = await panel.getAttribute('data-transport');
    if (used !== transport) throw new Error(`the app used ${used}, not ${transport}`);

    const joins: number[] = [];
    joins.push(await join(viewerPages[0]!));
    const costs: Cost[] = [await measure(sharerPid, sharer, 1)];
    for (const page of viewerPages.slice(1)) joins.push(await join(page));
    costs.push(await measure(sharerPid, sharer, VIEWERS.length));
    // Joins into a room that already streams (the first ones also loaded the WebRTC code).
    const rejoins: number[] = [];
    for (let round = 0; round < 3; round++) {
      const page = viewerPages[round % viewerPages.length]!;
      await page.getByTestId('share-leave').click();
      await page.getByTestId('share-video').waitFor({ state: 'detached' });
      rejoins.push(await join(page));
    }
    await sharer.getByTestId('share-stop').click();
    return { costs, joins, rejoins };
  } finally {
    await viewersBrowser?.close().catch(() => undefined);
    await sharerContext?.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
    await server.stop();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(STATIC_DIR, 'index.html'))) throw new Error(`No web build in ${STATIC_DIR}: run npm run build (or pass --static-dir).`);
  const worker = findWorkerBinary(path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json')));
  const transports: ('p2p' | 'sfu')[] = 'reason' in worker ? ['p2p'] : ['p2p', 'sfu'];
  if ('reason' in worker) console.log(`SFU half skipped: no mediasoup worker (${worker.reason})`);
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
  console.log(`Share fan-out: 1280×720 canvas screen cropped to 800×600 with one mask, ${SECONDS} s per measurement after ${WARMUP_MS / 1000} s warm-up`);
  console.log(`machine: ${os.cpus().length} CPUs, load average at start ${load()} (other work on the machine raises CPU and join times)`);
  const results = new Map<string, Awaited<ReturnType<typeof runTransport>>>();
  for (const t of transports) results.set(t, await runTransport(t));
  console.log(`load average at end ${load()}`);
  console.log('\ntransport  viewers  sharer CPU (cores)  ×1 viewer  upstream kbit/s  ×1 viewer');
  for (const [t, r] of results) {
    const [one] = r.costs;
    for (const c of r.costs) {
      console.log(`${t.padEnd(9)}  ${String(c.viewers).padStart(7)}  ${fmt(c.cpu).padStart(18)}  ${fmt(c.cpu / one!.cpu).padStart(9)}  ${fmt(c.kbps, 0).padStart(15)}  ${fmt(c.kbps / one!.kbps).padStart(9)}`);
    }
  }
  const sfu = results.get('sfu');
  if (sfu) {
    const [one, five] = sfu.costs;
    const cpuOk = five!.cpu <= 1.2 * one!.cpu;
    const bitrateOk = five!.kbps <= 1.2 * one!.kbps;
    console.log(`SFU, 5 viewers vs 1: CPU ${fmt(five!.cpu / one!.cpu)}×, upstream ${fmt(five!.kbps / one!.kbps)}× (target ≤ 1.2×: CPU ${cpuOk ? 'ok' : 'MISSED'}, upstream ${bitrateOk ? 'ok' : 'MISSED'})`);
    const all = [...sfu.joins, ...sfu.rejoins];
    console.log(
      `SFU join click → first frame: first viewer ${fmt(sfu.joins[0]!, 0)} ms (loads mediasoup-client), next ${sfu.joins.slice(1).map((j) => fmt(j, 0)).join(' / ')} ms, rejoins ${sfu.rejoins.map((j) => fmt(j, 0)).join(' / ')} ms; median ${fmt(percentile(all, 50), 0)} ms, max after the first ${fmt(Math.max(...all.slice(1)), 0)} ms (target < 500 ms: ${Math.max(...all.slice(1)) < 500 ? 'ok' : 'MISSED'})`,
    );
  }
  const p2p = results.get('p2p');
  if (p2p) console.log(`P2P join click → first frame: ${[...p2p.joins, ...p2p.rejoins].map((j) => fmt(j, 0)).join(' / ')} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
