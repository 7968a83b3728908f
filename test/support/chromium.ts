import fs from 'node:fs';

/**
 * Debian's Chromium for the E2E tests and the benches (never a downloaded browser): CHROMIUM_PATH if
 * set and present, else /usr/bin/chromium; undefined when neither exists (Playwright then uses its own).
 */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => Boolean(p && fs.existsSync(p)));
}

/** Chromium flags measured to work on the 2-core CI machines (see README, "Test layers"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];
