import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../../../shared/bridge/desktop-bridge';
import { INTERACTION_LIVE_REASON, UpdateController } from '../../../../main/update/controller';
import { startUpdates } from '../../../../main/update/start';
import { startLocalUpdateFeed } from './local-update-feed';
import { createNodeUpdater, type LocalFeedUpdater } from './node-updater';

// The update policy (main/update/controller.ts) against a real feed served over HTTPS in the test:
// electron-updater's GenericProvider parses latest.yml, the blockmap is fetched and parsed, and the
// installer is downloaded through builder-util-runtime's sha512-checking pipe (test/unit/main/update/node-updater.ts).

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(options: { feedVersion?: string; currentVersion?: string; announcedSha512?: (real: string) => string } = {}) {
  const feed = await startLocalUpdateFeed({ version: options.feedVersion ?? '1.1.0', announcedSha512: options.announcedSha512 });
  const downloadDir = await mkdtemp(path.join(tmpdir(), 'veildesk-update-'));
  cleanups.push(() => feed.close(), () => rm(downloadDir, { recursive: true, force: true }));
  const updater = createNodeUpdater({ currentVersion: options.currentVersion ?? '1.0.0', downloadDir, ca: feed.ca });
  const statuses: UpdateStatus[] = [];
  const controller = new UpdateController({ updater, feedUrl: feed.url });
  controller.onStatus((status) => statuses.push(status));
  cleanups.push(async () => controller.stop());
  return { feed, updater, controller, statuses, downloadDir };
}

/** Waits for the controller to reach a state (no fixed sleep). */
function until(controller: UpdateController, states: UpdateStatus['state'][], timeoutMs = 10_000): Promise<UpdateStatus> {
  return new Promise((resolve, reject) => {
    if (states.includes(controller.status().state)) return resolve(controller.status());
    const timer = setTimeout(() => reject(new Error(`still ${controller.status().state} after ${timeoutMs} ms`)), timeoutMs);
    const off = controller.onStatus((status) => {
      if (!states.includes(status.state)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}

function installsOf(updater: LocalFeedUpdater) {
  return updater.installs.length;
}

describe('automatic update against a local HTTPS feed', () => {
  it('downloads a newer release in the background (latest.yml, blockmap, installer) and checks its sha512', async () => {
    const { feed, updater, controller, downloadDir } = await setup();
    controller.start();
    expect(updater.feedUrl).toBe(feed.url);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    const ready = await until(controller, ['ready', 'error']);
    expect(ready).toMatchObject({ state: 'ready', version: '1.1.0', canInstallNow: true });
    expect(feed.requests).toEqual(['/latest.yml', `/${feed.installerName}.blockmap`, `/${feed.installerName}`]);
    expect(updater.blockMaps[0]?.files[0]?.sizes.reduce((a, b) => a + b, 0)).toBe(feed.installer.length);
    expect(await readFile(path.join(downloadDir, feed.installerName))).toEqual(feed.installer);
    // Downloaded, not installed: nothing is installed without the agent or a quit.
    expect(installsOf(updater)).toBe(0);
  });

  it('never installs during an interaction: the agent’s choice is refused until it ends, then installs', async () => {
    const { updater, controller } = await setup();
    controller.start();
    controller.setInteractionLive(true);
    const ready = await until(controller, ['ready', 'error']);
    expect(ready).toMatchObject({ state: 'ready', interactionLive: true, canInstallNow: false });
    expect(await controller.installNow()).toEqual({ installing: false, reason: INTERACTION_LIVE_REASON });
    expect(installsOf(updater)).toBe(0);
    controller.setInteractionLive(false);
    expect(controller.status().canInstallNow).toBe(true);
    expect(await controller.installNow()).toEqual({ installing: true, reason: null });
    expect(updater.installs).toEqual([{ isSilent: false, isForceRunAfter: true }]);
  });

  it('refuses a download whose sha512 does not match the feed: never ready, never installed', async () => {
    const { feed, updater, controller } = await setup({ announcedSha512: (real) => `${real.slice(0, 10)}${real[10] === 'A' ? 'B' : 'A'}${real.slice(11)}` });
    controller.start();
    const status = await until(controller, ['ready', 'error']);
    expect(status.state).toBe('error');
    expect(status.message).toMatch(/sha512 checksum mismatch/);
    expect(feed.requests).toContain(`/${feed.installerName}`);
    expect(await controller.installNow()).toMatchObject({ installing: false });
    expect(installsOf(updater)).toBe(0);
  });

  it('refuses to install a downloaded file changed on disk afterwards', async () => {
    const { feed, updater, controller, downloadDir } = await setup();
    controller.start();
    await until(controller, ['ready']);
    await writeFile(path.join(downloadDir, feed.installerName), Buffer.from('tampered'));
    const answer = await controller.installNow();
    expect(answer.installing).toBe(false);
    expect(answer.reason).toMatch(/does not match the sha512/);
    expect(controller.status().state).toBe('error');
    expect(installsOf(updater)).toBe(0);
  });

  it('stays idle when the feed has no newer version, and downloads nothing', async () => {
    const { feed, controller } = await setup({ feedVersion: '1.0.0', currentVersion: '1.0.0' });
    controller.start();
    await until(controller, ['idle']);
    // idle is also the starting state: wait until the feed was actually read.
    await expect.poll(() => feed.requests).toEqual(['/latest.yml']);
    expect(controller.status()).toMatchObject({ state: 'idle', canInstallNow: false });
    expect(await controller.installNow()).toEqual({ installing: false, reason: 'No update is ready to install.' });
  });

  it('reports an unreachable feed as an error that says it will try again', async () => {
    const { feed, controller } = await setup();
    await feed.close();
    controller.start();
    const status = await until(controller, ['error']);
    expect(status.message).toMatch(/tries again later/);
  });
});

describe('starting updates in the app (main/update/start.ts)', () => {
  it('a development build runs none and says so; electron-updater is never loaded', async () => {
    const loadUpdater = vi.fn();
    const updates = startUpdates({ isPackaged: false, env: { VEILDESK_UPDATE_FEED_URL: 'https://u.example/' }, readFeedSetting: async () => undefined, loadUpdater });
    expect(await updates.ready).toBeNull();
    expect(updates.status()).toMatchObject({ state: 'disabled', message: expect.stringMatching(/development build/) });
    expect(loadUpdater).not.toHaveBeenCalled();
  });

  it('a packaged build with an http feed runs none and says why', async () => {
    const updates = startUpdates({ isPackaged: true, env: {}, readFeedSetting: async () => 'http://u.example/', loadUpdater: vi.fn() });
    expect(await updates.ready).toBeNull();
    expect(updates.status().message).toMatch(/updateFeedUrl in settings.json is not used: .*https/);
    expect(await updates.installNow()).toMatchObject({ installing: false });
  });

  it('keeps the interaction state reported before the feed was read, and starts the policy with it', async () => {
    const feed = await startLocalUpdateFeed({ version: '1.1.0' });
    const downloadDir = await mkdtemp(path.join(tmpdir(), 'veildesk-update-'));
    cleanups.push(() => feed.close(), () => rm(downloadDir, { recursive: true, force: true }));
    const updater = createNodeUpdater({ currentVersion: '1.0.0', downloadDir, ca: feed.ca });
    const updates = startUpdates({ isPackaged: true, env: { VEILDESK_UPDATE_FEED_URL: feed.url }, readFeedSetting: async () => undefined, loadUpdater: async () => updater });
    updates.setInteractionLive(true);
    const controller = await updates.ready;
    if (!controller) throw new Error('updates did not start');
    cleanups.push(async () => controller.stop());
    await until(controller, ['ready']);
    expect(updates.status()).toMatchObject({ state: 'ready', interactionLive: true, canInstallNow: false });
    expect(await updates.installNow()).toMatchObject({ installing: false, reason: INTERACTION_LIVE_REASON });
    expect(updater.installs).toEqual([]);
  });
});
