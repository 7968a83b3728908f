import fs from 'node:fs';

/** CHROMIUM_PATH if set and present, else Debian's Chromium; undefined when neither exists (benches never download a browser). */
export function findChromium(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((p): p is string => Boolean(p && fs.existsSync(p)));
}
