import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from '../../scripts/desktop/electron-binary';
import type { DesktopBridge } from '../../shared/bridge/desktop-bridge';
import { DIST_DIR, startTestServer } from '../support/server';
import { submitSignIn } from './support/sign-in';

const mainEntry = path.join(DIST_DIR, 'main', 'main.cjs');

const SKIP_REASON =
  'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run `npx install-electron` or set ' +
  'ELECTRON_OVERRIDE_DIST_PATH to run the desktop smoke test';

/**
 * What window.veildesk exposes in the desktop app: every member of the bridge contract, with the
 * `typeof` it has in the page. `satisfies` ties the table to DesktopBridge, so a member added to or
 * removed from the contract fails `npm run typecheck` until this test follows, even without Electron.
 */
const DESKTOP_BRIDGE_MEMBERS = {
  kind: 'string',
  getAppInfo: 'function',
  getServerUrl: 'function',
  setServerUrl: 'function',
  openExternal: 'function',
  listCaptureSources: 'function',
  selectCaptureSource: 'function',
  getCaptureProtection: 'function',
  onSecurePauseHotkey: 'function',
  getLocalDataKey: 'function',
  forgetLocalDataKey: 'function',
  setInteractionLive: 'function',
  getUpdateStatus: 'function',
  installUpdateNow: 'function',
  bindLocalDataUser: 'function',
  releaseLocalDataUser: 'function',
  notifyOffer: 'function',
  onOfferNotificationClick: 'function',
  setBadgeCount: 'function',
} as const satisfies Record<keyof DesktopBridge, 'string' | 'function'>;

function processEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

test('desktop app opens and signs in to a real server', async () => {
  const binary = electronBinary();
  if (binary === null) {
    test.skip(true, SKIP_REASON);
    return;
  }
  expect(existsSync(mainEntry), 'dist/main/main.cjs is missing; run `npm run build` first').toBe(true);

  const server = await startTestServer();
  const profile = await mkdtemp(path.join(tmpdir(), 'veildesk-e2e-profile-'));
  // Chromium refuses to run as root with its OS sandbox; containers often are root.
  const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const app = await electron.launch({
    executablePath: binary,
    args: [...rootArgs, mainEntry],
    env: { ...processEnv(), VEILDESK_SERVER_URL: server.url, VEILDESK_USER_DATA_DIR: profile },
  });
  try {
    const page = await app.firstWindow();
    await expect(page).toHaveURL(/^app:\/\/veildesk\//);

    // The page sees the bridge and nothing of Node or Electron.
    const exposed = await page.evaluate(() => {
      const scope = globalThis as unknown as Record<string, unknown>;
      const bridge = (scope.veildesk ?? {}) as Record<string, unknown>;
      return {
        require: typeof scope.require,
        process: typeof scope.process,
        bridge: Object.fromEntries(Object.keys(bridge).map((key) => [key, typeof bridge[key]])),
      };
    });
    expect(exposed).toEqual({
      require: 'undefined',
      process: 'undefined',
      bridge: DESKTOP_BRIDGE_MEMBERS,
    });
    const bridgeServerUrl = await page.evaluate(async () => {
      const bridge = (globalThis as unknown as { veildesk: { getServerUrl(): Promise<string> } }).veildesk;
      return bridge.getServerUrl();
    });
    expect(bridgeServerUrl).toBe(server.url);

    await page.getByTestId('login-server').fill(server.url);
    await submitSignIn(page, 'agent1');
  } finally {
    await app.close();
    await server.stop();
    await rm(profile, { recursive: true, force: true });
  }
});
