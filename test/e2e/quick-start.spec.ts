import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The quick start on a machine where Electron's binary cannot be downloaded: `npm start` (here its
 * script, scripts/start.ts) tries the electron package's installer, says within 5 s of the server
 * being ready why no desktop window opens, and gives a web agent URL that works. The download
 * server is a closed local port (ELECTRON_MIRROR), so the outcome is the same with or without
 * internet access, and no cached zip may stand in (electron_config_cache is a fresh folder).
 */
test('npm start falls back to the web agent at once when Electron cannot be downloaded', async ({ page }) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-quickstart-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    VEILDESK_DATA_DIR: path.join(scratch, 'data'),
    VEILDESK_SHARE_TRANSPORT: 'p2p',
    LOG_LEVEL: 'warn',
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: path.join(scratch, 'electron-cache'),
  };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete env.npm_config_electron_skip_binary_download;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const seenAt: Record<string, number> = {};
  const onData = (d: Buffer): void => {
    out += d.toString();
    if (!seenAt.ready && /backend \w+ on http/.test(out)) seenAt.ready = Date.now();
    if (!seenAt.fallback && /No desktop window: /.test(out)) seenAt.fallback = Date.now();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  try {
    await expect.poll(() => seenAt.fallback, { timeout: 90_000, message: `npm start printed:\n${out}` }).toBeDefined();
    expect(seenAt.ready, out).toBeDefined();
    expect(seenAt.fallback! - seenAt.ready!).toBeLessThan(5000);
    expect(out).toMatch(/Electron's binary is missing: downloading it once/);
    expect(out).toMatch(/No desktop window: Electron's binary could not be downloaded: the download server could not be reached/);
    const url = /Open the web agent in a browser: (http:\/\/\S+)/.exec(out)?.[1];
    expect(url, out).toBeDefined();
    await page.goto(url!);
    await expect(page.getByTestId('login-username')).toBeVisible();
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
