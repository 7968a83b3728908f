import WebSocket from 'ws';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { apiLogin, apiToken } from './support/api';
import { noMediasoupWorker } from './support/sfu';

/**
 * Screen sharing end to end, in the web build. The sharer's "screen" is a known picture: a
 * 1280×720 canvas in four colour quadrants, handed to the app in place of getDisplayMedia.
 */

const SOURCE = { width: 1280, height: 720 };
const QUADRANTS = { red: [230, 30, 30], green: [30, 200, 60], blue: [30, 60, 220], yellow: [240, 220, 40] } as const;
const REGION = { x: 100, y: 60, width: 800, height: 600 };
const MASK = { x: 300, y: 150, width: 200, height: 150 };

/**
 * Replaces getDisplayMedia with a canvas.captureStream(fps) of the four quadrants, repainted at that
 * rate. The main scenario uses 15 fps: it checks what is shown, not the frame rate (bench/share
 * measures that), and half the frames leave CPU for the rest of the suite on a 2-core CI machine.
 */
function fakeScreen({ q, fps }: { q: typeof QUADRANTS; fps: number }) {
  navigator.mediaDevices.getDisplayMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const ctx = canvas.getContext('2d')!;
    const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
    let n = 0;
    const paint = () => {
      n += 1;
      ctx.fillStyle = rgb(q.red);
      ctx.fillRect(0, 0, 640, 360);
      ctx.fillStyle = rgb(q.green);
      ctx.fillRect(640, 0, 640, 360);
      ctx.fillStyle = rgb(q.blue);
      ctx.fillRect(0, 360, 640, 360);
      ctx.fillStyle = rgb(q.yellow);
      ctx.fillRect(640, 360, 640, 360);
      // A ticking corner outside the shared region, so every frame differs a little.
      ctx.fillStyle = n % 2 ? '#fff' : '#000';
      ctx.fillRect(1260, 700, 20, 20);
    };
    paint();
    setInterval(paint, 1000 / fps);
    return canvas.captureStream(fps);
  };
}

async function fillRect(scope: ReturnType<Page['getByTestId']>, prefix: string, rect: { x: number; y: number; width: number; height: number }) {
  for (const key of ['x', 'y', 'width', 'height'] as const) {
    const input = scope.getByTestId(`${prefix}-${key}`);
    await input.fill(String(rect[key]));
    await input.blur();
  }
}

/** Pixels of the <video> (drawn to a canvas in the page) at output coordinates. */
async function samplePixels(page: Page, points: Record<string, [number, number]>): Promise<Record<string, number[]>> {
  return page.getByTestId('share-video').evaluate((video: HTMLVideoElement, pts) => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    const out: Record<string, number[]> = {};
    for (const [name, [x, y]] of Object.entries(pts)) {
      // Average a 5×5 patch: codec noise, not the picture, decides single pixels.
      const d = ctx.getImageData(x - 2, y - 2, 5, 5).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += d[i + c]!;
      out[name] = sum.map((v) => Math.round(v / 25));
    }
    return out;
  }, points);
}

const near = (actual: number[], expected: readonly number[], tolerance = 45) => actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);

/**
 * Which colour of the picture (a quadrant's, or the mask's black) a decoded pixel is nearest to.
 * The encoder and decoder shift values (a colour-range conversion in one run decoded green
 * (30, 200, 60) as (33, 246, 59), twice in clean-clone CI), but never toward another colour of the
 * picture, so naming the nearest one checks where each quadrant and the mask landed without
 * depending on colour fidelity.
 */
const PALETTE: Record<string, readonly number[]> = { black: [0, 0, 0], ...QUADRANTS };
function colourOf(px: number[]): string {
  let best = '';
  let bestDistance = Infinity;
  for (const [name, rgb] of Object.entries(PALETTE)) {
    const distance = rgb.reduce((sum, v, i) => sum + (v - px[i]!) ** 2, 0);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}
const showsPicture = (px: Record<string, number[] | undefined>): boolean =>
  Object.entries(px).every(([where, rgb]) => colourOf(rgb!) === (where === 'mask' || where === 'maskCorner' ? 'black' : where));

async function loginToken(url: string, username: string): Promise<{ token: string; userId: string }> {
  const body = await apiLogin(url, username);
  return { token: body.token, userId: body.user.id };
}

async function auditTrail(url: string, token: string): Promise<{ action: string; actorName: string | null; target: string | null; details: Record<string, unknown> }[]> {
  const res = await fetch(`${url}/api/audit?limit=500`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { entries: { action: string; actorName: string | null; target: string | null; details: Record<string, unknown> }[] };
  return body.entries.filter((e) => e.action.startsWith('share.'));
}

/** A raw WebSocket as super2, sending the share frames directly, collecting everything it gets. */
async function rawSocket(url: string, token: string): Promise<{ frames: Record<string, unknown>[]; send(m: object): void; waitFor(p: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>; close(): void }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const w of [...waiters]) w();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waitFor = (p: (f: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames)}`)), 5000);
      let seen = 0;
      const check = () => {
        while (seen < frames.length) {
          const f = frames[seen++]!;
          if (p(f)) {
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            return resolve(f);
          }
        }
      };
      waiters.push(check);
      check();
    });
  const socket = { frames, send: (m: object) => ws.send(JSON.stringify(m)), waitFor, close: () => ws.close() };
  socket.send({ type: 'hello', protocol: 1, token });
  await waitFor((f) => f.type === 'hello.ok');
  return socket;
}

const noSfu = noMediasoupWorker();

/** The main scenario runs once per server setting: P2P, SFU, and auto (SFU when the worker is there). */
const TRANSPORTS = [
  { setting: 'p2p', expected: 'p2p', skip: null },
  { setting: 'sfu', expected: 'sfu', skip: noSfu ? `VEILDESK_SHARE_TRANSPORT=sfu needs a mediasoup worker: ${noSfu}` : null },
  // Without a worker, auto is peer to peer: the same scenario as the p2p run (nearly 2 minutes on a
  // 2-core machine), so it runs only where it picks the SFU.
  { setting: 'auto', expected: 'sfu', skip: noSfu ? `VEILDESK_SHARE_TRANSPORT=auto is peer to peer without a mediasoup worker (${noSfu}); the p2p run covers it` : null },
] as const;

for (const transport of TRANSPORTS) {
  // @sfu: runs last in npm test (scripts/test-sfu.ts), once CI's background worker build is done.
  test.describe(`share transport ${transport.setting}`, { tag: transport.setting === 'p2p' ? [] : ['@sfu'] }, () => {
    // At group level, so the skip comes before the server fixture (which would refuse to start with sfu and no worker).
    test.skip(transport.skip !== null, transport.skip ?? '');
    test.use({ serverOptions: { env: { VEILDESK_SHARE_TRANSPORT: transport.setting } } });
    test(`agent shares an 800×600 region with a mask to super1 only; super2 is refused; revoke and stop end it; all audited (${transport.setting} → ${transport.expected})`, async ({ signIn, server }) => {
      const sfu = transport.expected === 'sfu';
      // Three browser contexts, two WebRTC connections and a server on a 2-core machine: give it room.
      test.setTimeout(240_000);
      const super1 = await signIn('super1');
      const super2 = await signIn('super2');
      const agent = await signIn('agent1');
      await agent.page.addInitScript(fakeScreen, { q: QUADRANTS, fps: 15 });
      await agent.page.reload();
      await expect(agent.page.getByTestId('signout')).toBeVisible({ timeout: 15_000 });

      // ---- the sharer sets it up on the live preview ----
      await agent.page.getByTestId('share-open').click();
      const panel = agent.page.getByTestId('share-panel');
      await expect(panel).toHaveAttribute('data-stage', 'editing');
      // Default: the whole source.
      await expect(panel.getByTestId('share-region-width')).toHaveValue(String(SOURCE.width));
      await expect(panel.getByTestId('share-region-height')).toHaveValue(String(SOURCE.height));
      await fillRect(panel, 'share-region', REGION);
      await panel.getByTestId('share-mask-add').click();
      await fillRect(panel.getByTestId('share-mask'), 'share-mask', MASK);
      await expect(panel.getByTestId('share-region-x')).toHaveValue(String(REGION.x));
      await expect(panel.getByTestId('share-mask').getByTestId('share-mask-width')).toHaveValue(String(MASK.width));
      await panel.locator('label', { hasText: 'Sam Supervisor' }).getByTestId('share-viewer').check();
      await panel.getByTestId('share-confirm').click();
      await panel.getByTestId('share-start').click();
      await expect(panel.getByTestId('share-live')).toBeVisible();
      // Chromium: insertable streams, the crop in a worker.
      await expect(panel).toHaveAttribute('data-pipeline', 'worker');
      await expect(panel).toHaveAttribute('data-transport', transport.expected);

      // ---- super2 was not chosen: sees nothing ----
      const item = super1.page.getByTestId('share-item').filter({ hasText: 'Ada Agent' });
      await expect(item).toBeVisible();
      const shareId = (await item.getAttribute('data-share-id'))!;
      await expect(super2.page.getByTestId('shares-list')).toHaveCount(0);

      // ---- super1 joins with one click and gets exactly 800×600 ----
      await item.getByTestId('share-join').click();
      // The sharer is told at once (the notice stays 10 s: check it before the picture, which takes longer on a loaded machine).
      await expect(agent.page.getByTestId('notice').filter({ hasText: 'Sam Supervisor is watching' })).toBeVisible();
      const video = super1.page.getByTestId('share-video');
      await expect(video).toBeVisible({ timeout: 10_000 });
      await super1.page.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="share-video"]');
        return Boolean(v && v.videoWidth > 0 && v.readyState >= 2);
      }, undefined, { timeout: 10_000 });
      expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([REGION.width, REGION.height]);
      // Shown at its real size (the window is wide enough): not scaled down.
      const box = (await video.boundingBox())!;
      expect(Math.round(box.width)).toBe(REGION.width);
      await expect(super1.page.getByTestId('share-sharer-name')).toHaveText('Ada Agent');
      await expect(super1.page.getByTestId('share-age')).toContainText('shared for');
      // The sharer sees who watches.
      const watcher = agent.page.getByTestId('share-watcher').filter({ hasText: 'Sam Supervisor' });
      await expect(watcher).toBeVisible();

      // ---- the picture: masked area black, the rest the source's colours ----
      // Output coordinates = source − region origin. The mask covers source 300..500 × 150..300.
      const toOut = (x: number, y: number): [number, number] => [x - REGION.x, y - REGION.y];
      const points = {
        mask: toOut(400, 225),
        maskCorner: toOut(310, 160),
        red: toOut(200, 320),
        green: toOut(800, 200),
        blue: toOut(300, 500),
        yellow: toOut(800, 560),
      };
      await expect
        .poll(async () => {
          const px = await samplePixels(super1.page, points);
          return near(px.mask!, [0, 0, 0], 30) && near(px.maskCorner!, [0, 0, 0], 30) && showsPicture(px)
            ? 'ok'
            : JSON.stringify(px);
        }, { timeout: 10_000 })
        .toBe('ok');

      // ---- super2 is refused by the server, also sending the frames directly ----
      const s2 = await loginToken(server.url, 'super2');
      const agentId = (await loginToken(server.url, 'agent1')).userId;
      const raw = await rawSocket(server.url, s2.token);
      raw.send({ type: 'share.join', shareId, id: 'j' });
      expect(await raw.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'forbidden', ref: 'j' });
      raw.send({ type: 'share.signal', shareId, signal: { type: 'answer', sdp: 'v=0' } });
      raw.send({ type: 'share.signal', shareId, to: agentId, signal: { type: 'offer', sdp: 'v=0' } });
      // Over the SFU: the share's media room refuses super2 too (no router parameters, no transport, no consumer).
      const roomId = `share:${shareId}`;
      const expectedErrors = sfu ? 5 : 3;
      if (sfu) {
        raw.send({ type: 'media.join', roomId, id: 'mj' });
        raw.send({ type: 'media.consume', roomId, transportId: 'any', rtpCapabilities: { codecs: [] }, id: 'mc' });
      }
      // Frames are handled concurrently (a refusal waits for its audit entry): wait for all the answers.
      await raw.waitFor(() => raw.frames.filter((f) => f.type === 'error').length >= expectedErrors);
      raw.send({ type: 'ping', id: 'done' });
      await raw.waitFor((f) => f.type === 'pong');
      const errors = raw.frames.filter((f) => f.type === 'error');
      expect(errors.map((e) => e.code)).toEqual(Array.from({ length: expectedErrors }, () => 'forbidden'));
      expect(raw.frames.filter((f) => String(f.type).startsWith('share.') && f.type !== 'shares.available')).toEqual([]);
      expect(raw.frames.filter((f) => String(f.type).startsWith('media.'))).toEqual([]);
      expect(raw.frames.filter((f) => f.type === 'shares.available').every((f) => (f.shares as unknown[]).length === 0)).toBe(true);
      raw.close();
      // super2's page, too, never got a share.
      await expect(super2.page.getByTestId('share-view')).toHaveCount(0);

      // ---- blank pauses the picture without ending the share; a mask change applies live ----
      await agent.page.getByTestId('share-blank').click();
      await expect(super1.page.getByTestId('share-paused')).toBeVisible();
      await expect.poll(async () => {
        const px = await samplePixels(super1.page, { green: points.green, yellow: points.yellow });
        return near(px.green!, [0, 0, 0], 30) && near(px.yellow!, [0, 0, 0], 30);
      }, { timeout: 5000 }).toBe(true);
      await agent.page.getByTestId('share-blank').click();
      await expect(super1.page.getByTestId('share-paused')).toHaveCount(0);
      await agent.page.getByTestId('share-mask').getByTestId('share-mask-width').fill('300');
      await expect.poll(async () => near((await samplePixels(super1.page, { p: toOut(560, 225) })).p!, [0, 0, 0], 30), { timeout: 5000 }).toBe(true);

      // ---- revoke: super1's video ends within 1 s ----
      // Measured inside the pages (one browser, one clock): from the click on Remove in the sharer's
      // page to the viewer's <video> leaving the page, so the test runner's own latency does not count.
      await super1.page.evaluate(() => {
        const w = window as unknown as { __videoGoneAt?: number };
        new MutationObserver((_m, observer) => {
          if (!document.querySelector('[data-testid="share-video"]')) {
            w.__videoGoneAt = Date.now();
            observer.disconnect();
          }
        }).observe(document.body, { childList: true, subtree: true });
      });
      await agent.page.evaluate(() => {
        const w = window as unknown as { __revokeClickAt?: number };
        document.addEventListener('click', (e) => {
          if ((e.target as Element).closest('[data-testid="share-revoke"]')) w.__revokeClickAt ??= Date.now();
        }, true);
      });
      await watcher.getByTestId('share-revoke').click();
      await expect(super1.page.getByTestId('share-video')).toHaveCount(0, { timeout: 5000 });
      const clickedAt = await agent.page.evaluate(() => (window as unknown as { __revokeClickAt?: number }).__revokeClickAt);
      const goneAt = await super1.page.evaluate(() => (window as unknown as { __videoGoneAt?: number }).__videoGoneAt);
      const revokeMs = clickedAt && goneAt ? goneAt - clickedAt : Number.NaN;
      test.info().annotations.push({ type: 'revoke-to-video-gone-ms', description: String(revokeMs) });
      expect(revokeMs).toBeLessThan(1000);
      await expect(super1.page.getByTestId('share-ended')).toContainText('removed you');
      await expect(super1.page.getByTestId('shares-list')).toHaveCount(0);
      await expect(agent.page.getByTestId('share-watcher')).toHaveCount(0);

      // ---- chosen again, joins again; stop ends everything ----
      await panel.locator('label', { hasText: 'Sam Supervisor' }).getByTestId('share-viewer').check();
      await panel.getByTestId('share-confirm').click();
      await super1.page.getByTestId('share-dismiss').click();
      await super1.page.getByTestId('share-item').getByTestId('share-join').click();
      await expect(super1.page.getByTestId('share-video')).toBeVisible({ timeout: 10_000 });
      await agent.page.getByTestId('share-stop').click();
      await expect(super1.page.getByTestId('share-video')).toHaveCount(0, { timeout: 2000 });
      await expect(super1.page.getByTestId('share-ended')).toContainText('stopped');
      await expect(super1.page.getByTestId('shares-list')).toHaveCount(0);
      await expect(agent.page.getByTestId('share-open')).toBeVisible();

      // ---- the audit log holds each step ----
      const admin = await apiToken(server.url, 'admin');
      await expect
        .poll(async () => (await auditTrail(server.url, admin)).map((e) => `${e.action}:${e.actorName}`))
        .toEqual([
          'share.started:agent1',
          'share.viewer_added:agent1',
          'share.joined:super1',
          'share.refused:super2',
          'share.refused:super2',
          // media.join and media.consume, refused in the share's media room.
          ...(sfu ? ['share.refused:super2', 'share.refused:super2'] : []),
          'share.blanked:agent1',
          'share.blanked:agent1',
          'share.masks_changed:agent1',
          'share.viewer_revoked:agent1',
          'share.viewer_added:agent1',
          'share.joined:super1',
          'share.stopped:agent1',
        ]);
      const trail = await auditTrail(server.url, admin);
      expect(trail[0]!.details).toMatchObject({ region: REGION, masks: [MASK], viewers: ['super1'] });
      expect(trail.every((e) => e.target === shareId)).toBe(true);
    });
  });
}

test('without insertable streams the canvas fallback sends the same picture; the region can be dragged on the preview', async ({ signIn }) => {
  test.setTimeout(120_000);
  const super1 = await signIn('super1');
  const agent = await signIn('agent1');
  await agent.page.addInitScript(() => {
    // A runtime without MediaStreamTrackProcessor/Generator (Firefox, Safari).
    delete (window as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor;
    delete (window as { MediaStreamTrackGenerator?: unknown }).MediaStreamTrackGenerator;
  });
  // 30 fps, as in every run before the main scenario moved to 15. Colours are checked by the
  // nearest colour of the picture (colourOf): decoders have shifted green by up to 46 in one channel.
  await agent.page.addInitScript(fakeScreen, { q: QUADRANTS, fps: 30 });
  await agent.page.reload();
  await agent.page.getByTestId('share-open').click();
  const panel = agent.page.getByTestId('share-panel');
  await expect(panel).toHaveAttribute('data-stage', 'editing');

  // Drag the region on the (scaled) preview: source 100,60 → 900,660.
  const preview = panel.getByTestId('share-preview');
  await expect(preview.locator('video')).toHaveJSProperty('videoWidth', SOURCE.width);
  const box = (await preview.boundingBox())!;
  const at = (x: number, y: number) => ({ x: box.x + (x * box.width) / SOURCE.width, y: box.y + (y * box.height) / SOURCE.height });
  const from = at(REGION.x, REGION.y);
  const to = at(REGION.x + REGION.width, REGION.y + REGION.height);
  await agent.page.mouse.move(from.x, from.y);
  await agent.page.mouse.down();
  await agent.page.mouse.move(to.x, to.y, { steps: 5 });
  await agent.page.mouse.up();
  const value = async (key: string) => Number(await panel.getByTestId(`share-region-${key}`).inputValue());
  await expect.poll(async () => Math.abs((await value('x')) - REGION.x)).toBeLessThanOrEqual(4);
  await expect.poll(async () => Math.abs((await value('width')) - REGION.width)).toBeLessThanOrEqual(6);
  // Then exact values by typing.
  await fillRect(panel, 'share-region', REGION);
  await panel.getByTestId('share-mask-add').click();
  await fillRect(panel.getByTestId('share-mask'), 'share-mask', MASK);
  await panel.locator('label', { hasText: 'Sam Supervisor' }).getByTestId('share-viewer').check();
  await panel.getByTestId('share-start').click();
  await expect(panel.getByTestId('share-live')).toBeVisible();
  await expect(panel).toHaveAttribute('data-pipeline', 'canvas');

  await super1.page.getByTestId('share-item').getByTestId('share-join').click();
  await super1.page.waitForFunction(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="share-video"]');
    return Boolean(v && v.videoWidth > 0 && v.readyState >= 2);
  }, undefined, { timeout: 15_000 });
  expect(await super1.page.getByTestId('share-video').evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([REGION.width, REGION.height]);
  const toOut = (x: number, y: number): [number, number] => [x - REGION.x, y - REGION.y];
  await expect
    .poll(async () => {
      const px = await samplePixels(super1.page, { mask: toOut(400, 225), red: toOut(200, 320), green: toOut(800, 200), blue: toOut(300, 500), yellow: toOut(800, 560) });
      return near(px.mask!, [0, 0, 0], 30) && showsPicture(px) ? 'ok' : JSON.stringify(px);
    }, { timeout: 10_000 })
    .toBe('ok');
  await agent.page.getByTestId('share-stop').click();
  await expect(super1.page.getByTestId('share-ended')).toContainText('stopped');
});
