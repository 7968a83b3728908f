import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { clusterAvailable, twoNodes, until } from '../support/two-nodes';
import { beacon, MEDIA_IP, MEDIA_NODE_ENV, MEDIA_NODES_ENV, registryEntry } from '../support/media-nodes-env';
import { noMediasoupWorker } from './support/sfu';
import { withFakeScreen, type Rgb } from './support/screen';
import { signInAs } from './support/sign-in';

/**
 * Issue 18, the SFU on several nodes, in real browsers and the real app: two backend nodes on one
 * PostgreSQL and one Redis, each with its own mediasoup worker on its own address (node B's media on
 * 127.0.0.2). agent1's app is on node A (the routing lease holder) and shares its canvas screen over
 * the SFU with super1, whose app is on node B, and super2, whose app is on node A. The share's room
 * is placed on one node's router; whichever it is, one viewer's socket is on the other node, so that
 * viewer is signalled through its own node and its media comes from the owning node. Both viewers
 * see the picture, and only the owning node reports a room.
 */

const noWorker = noMediasoupWorker();
const clusterUp = noWorker ? false : await clusterAvailable('cluster-share.spec.ts');

const QUADRANTS: readonly [Rgb, Rgb, Rgb, Rgb] = [
  [230, 30, 30],
  [30, 200, 60],
  [30, 60, 220],
  [240, 220, 40],
];
const NAMES = ['red', 'green', 'blue', 'yellow'] as const;

const cleanups: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** The colour (of the four quadrants) nearest to each quadrant's centre in the viewer's <video>. */
async function quadrantColours(page: Page): Promise<string[]> {
  const pixels = await page.getByTestId('share-video').evaluate((video: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0);
    return [0, 1, 2, 3].map((i) => {
      const x = Math.round(((i % 2) + 0.5) * (canvas.width / 2));
      const y = Math.round((Math.floor(i / 2) + 0.5) * (canvas.height / 2));
      return Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
    });
  });
  return pixels.map((px) => {
    let best = 0;
    let bestDistance = Infinity;
    QUADRANTS.forEach((rgb, i) => {
      const distance = rgb.reduce((sum, v, c) => sum + (v - px[c]!) ** 2, 0);
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    return NAMES[best]!;
  });
}

// @sfu: runs in the SFU part of npm test (scripts/test-sfu.ts), where CI always has a worker.
test('two nodes, the SFU on each: agent1 on node A shares with super1 on node B and super2 on node A; the room lives on one node and both viewers see the picture', { tag: ['@sfu'] }, async ({ browser }) => {
  test.skip(noWorker !== null, `needs a mediasoup worker: ${noWorker}`);
  test.skip(!clusterUp, 'PostgreSQL or Redis does not answer (see the printed reason)');
  test.setTimeout(180_000);
  const nodes = await twoNodes(cleanups, MEDIA_NODES_ENV, MEDIA_NODE_ENV);
  const { a, b } = nodes;
  expect((await until(nodes.lease, 30_000, 'a lease holder')).nodeId).toBe('node-a');
  await until(async () => (await beacon(nodes, 'node-a')) && (await beacon(nodes, 'node-b')), 30_000, 'both media beacons');

  const super1 = await signInAs(browser, b.url, 'super1');
  const super2 = await signInAs(browser, a.url, 'super2');
  const agent = await signInAs(browser, a.url, 'agent1', { beforeLoad: withFakeScreen({ screen: { quadrants: QUADRANTS } }, 'screen') });
  cleanups.push(() => super1.close(), () => super2.close(), () => agent.close());

  // ---- agent1 shares the whole screen with both supervisors ----
  await agent.page.getByTestId('share-open').click();
  const panel = agent.page.getByTestId('share-panel');
  await expect(panel).toHaveAttribute('data-stage', 'editing');
  for (const name of ['Sam Supervisor', 'Sky Supervisor']) await panel.locator('label', { hasText: name }).getByTestId('share-viewer').check();
  await panel.getByTestId('share-confirm').click();
  await panel.getByTestId('share-start').click();
  await expect(panel.getByTestId('share-live')).toBeVisible({ timeout: 20_000 });
  await expect(panel).toHaveAttribute('data-transport', 'sfu');

  // ---- the room's registry entry names one node; only that node reports a room ----
  const shareId = (await super1.page.getByTestId('share-item').filter({ hasText: 'Ada Agent' }).getAttribute('data-share-id', { timeout: 15_000 }))!;
  const entry = await until(() => registryEntry(nodes, `share:${shareId}`), 15_000, 'the share room in the registry');
  const other = entry.nodeId === 'node-a' ? 'node-b' : 'node-a';
  console.log(`[cluster-share] the room is on ${entry.nodeId} (${entry.nodeId === 'node-a' ? MEDIA_IP.a : MEDIA_IP.b}); the viewer on ${other} gets its media from there`);

  // ---- each supervisor joins from their own node and sees the four quadrants ----
  for (const viewer of [super1, super2]) {
    const item = viewer.page.getByTestId('share-item').filter({ hasText: 'Ada Agent' });
    await item.getByTestId('share-join').click();
    await viewer.page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="share-video"]');
      return Boolean(v && v.videoWidth > 0 && v.readyState >= 2);
    }, undefined, { timeout: 20_000 });
    await expect.poll(() => quadrantColours(viewer.page), { timeout: 15_000 }).toEqual([...NAMES]);
  }
  for (const name of ['Sam Supervisor', 'Sky Supervisor']) await expect(agent.page.getByTestId('share-watcher').filter({ hasText: name })).toBeVisible();

  // One router carries the share for both viewers: the owning node reports the room, the other none.
  await until(async () => (await beacon(nodes, entry.nodeId))?.rooms === 1, 10_000, `${entry.nodeId} reporting the room`);
  expect((await beacon(nodes, other))?.rooms).toBe(0);

  // ---- the sharer stops: both viewers are told, and the room leaves the registry ----
  await panel.getByTestId('share-stop').click();
  for (const viewer of [super1, super2]) await expect(viewer.page.getByTestId('share-video')).toHaveCount(0, { timeout: 10_000 });
  await until(async () => (await registryEntry(nodes, `share:${shareId}`)) === null, 10_000, 'the registry entry removed');
});
