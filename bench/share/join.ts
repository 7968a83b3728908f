/**
 * Join click to first frame, with the real app (web build from dist/renderer) and a real backend on
 * loopback: agent1 shares an 800×600 region with two masks of a 1280×720 canvas "screen" to super1;
 * super1 clicks Join; the time from that click to the first frame presented by the <video>
 * (requestVideoFrameCallback) is measured inside super1's page. Then super1 leaves, and again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer } from '../../test/support/server';
import { fmt, percentile } from '../lib/stats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Replaces getDisplayMedia with a 1280×720 canvas in four colours. A string, not a function: tsx
 * wraps named inner functions in a helper that does not exist in the page.
 */
export const FAKE_SCREEN = `
navigator.mediaDevices.getDisplayMedia = async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 1280;
  canvas.height = 720;
  const ctx = canvas.getContext('2d');
  const colours = ['#d33', '#3c4', '#34d', '#ec3'];
  let n = 0;
  function paint() {
    n += 1;
    for (let i = 0; i < 4; i++) {
      ctx.fillStyle = colours[i];
      ctx.fillRect((i % 2) * 640, Math.floor(i / 2) * 360, 640, 360);
    }
    ctx.fillStyle = n % 2 ? '#fff' : '#000';
    ctx.fillRect(400 + (n % 200), 300, 20, 20);
  }
  paint();
  setInterval(paint, 33);
  return canvas.captureStream(30);
};`;

/** Signs in on a new page, in a new context of `browser` or in the given context. */
export async function signIn(browser: Browser | BrowserContext, url: string, username: string, init?: string): Promise<Page> {
  const context = 'newContext' in browser ? await browser.newContext() : browser;
  const page = await context.newPage();
  if (init) await page.addInitScript({ content: init });
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('signout').waitFor();
  return page;
}

export async function setRect(scope: ReturnType<Page['getByTestId']>, prefix: string, rect: Record<'x' | 'y' | 'width' | 'height', number>): Promise<void> {
  for (const key of ['x', 'y', 'width', 'height'] as const) await scope.getByTestId(`${prefix}-${key}`).fill(String(rect[key]));
}

/** Arms the page: the next click on Join and the first frame of the next share video are timed. */
export const ARM_TIMING = `(() => {
  const t = {};
  window.__join = t;
  function onClick(e) {
    if (e.target.closest('[data-testid="share-join"]')) {
      t.clickAt = performance.now();
      document.removeEventListener('click', onClick, true);
    }
  }
  document.addEventListener('click', onClick, true);
  function watch() {
    const video = document.querySelector('[data-testid="share-video"]');
    if (!video) return false;
    video.requestVideoFrameCallback(() => { if (t.frameAt === undefined) t.frameAt = performance.now(); });
    return true;
  }
  if (!watch()) {
    const observer = new MutationObserver(() => { if (watch()) observer.disconnect(); });
    observer.observe(document.body, { childList: true, subtree: true });
  }
})()`;

async function armTiming(page: Page): Promise<void> {
  await page.evaluate(ARM_TIMING);
}

export async function measureJoin(opts: { executablePath: string | undefined; args: string[]; rounds: number; staticDir?: string }): Promise<void> {
  const staticDir = opts.staticDir || path.join(root, 'dist/renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.log('\nJoin to first frame: skipped (run `npm run build` first: the app is served from dist/renderer).');
    return;
  }
  const server = await startTestServer({ graceMs: 1500, env: { VEILDESK_STATIC_DIR: staticDir } });
  const browser = await chromium.launch({ executablePath: opts.executablePath, headless: true, args: opts.args });
  try {
    const agent = await signIn(browser, server.url, 'agent1', FAKE_SCREEN);
    const viewer = await signIn(browser, server.url, 'super1');
    await agent.getByTestId('share-open').click();
    const panel = agent.getByTestId('share-panel');
    await panel.getByTestId('share-start').waitFor();
    await setRect(panel, 'share-region', { x: 100, y: 60, width: 800, height: 600 });
    await panel.getByTestId('share-mask-add').click();
    await panel.getByTestId('share-mask-add').click();
    await setRect(panel.getByTestId('share-mask').nth(0), 'share-mask', { x: 200, y: 100, width: 160, height: 120 });
    await setRect(panel.getByTestId('share-mask').nth(1), 'share-mask', { x: 600, y: 400, width: 200, height: 120 });
    await panel.locator('label', { hasText: 'Sam Supervisor' }).getByTestId('share-viewer').check();
    await panel.getByTestId('share-start').click();
    await panel.getByTestId('share-live').waitFor();

    const samples: number[] = [];
    for (let round = 0; round < opts.rounds + 1; round++) {
      await armTiming(viewer);
      await viewer.getByTestId('share-join').click();
      await viewer.waitForFunction(() => (window as unknown as { __join?: { frameAt?: number } }).__join?.frameAt !== undefined, undefined, { timeout: 15_000 });
      const t = await viewer.evaluate(() => (window as unknown as { __join: { clickAt: number; frameAt: number } }).__join);
      const size = await viewer.getByTestId('share-video').evaluate((v: HTMLVideoElement) => `${v.videoWidth}×${v.videoHeight}`);
      // The first round also loads simple-peer on both sides; report it apart.
      if (round === 0) console.log(`\nJoin click → first frame: first join (loads the WebRTC code) ${fmt(t.frameAt - t.clickAt, 0)} ms, ${size}`);
      else samples.push(t.frameAt - t.clickAt);
      await viewer.getByTestId('share-leave').click();
      await viewer.getByTestId('share-video').waitFor({ state: 'detached' });
      await agent.waitForTimeout(300);
    }
    const ok = percentile(samples, 95) < 500 ? 'ok' : 'MISSED';
    console.log(
      `Join click → first frame over loopback, ${samples.length} joins: median ${fmt(percentile(samples, 50), 0)} ms, p95 ${fmt(percentile(samples, 95), 0)} ms, max ${fmt(Math.max(...samples), 0)} ms (target < 500 ms: ${ok})`,
    );
    await agent.getByTestId('share-stop').click();
  } finally {
    await browser.close();
    await server.stop();
  }
}
