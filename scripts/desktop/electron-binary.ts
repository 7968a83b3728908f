import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Path of the Electron executable, or null when only the npm package is installed (as with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1). Checks the package's marker file before requiring it, because
 * requiring a package without its binary tries to download it, which hangs offline.
 */
export function electronBinary(): string | null {
  try {
    const pkgDir = path.dirname(require.resolve('electron/package.json'));
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      const marker = path.join(pkgDir, 'path.txt');
      if (!existsSync(marker) || !existsSync(path.join(pkgDir, 'dist', readFileSync(marker, 'utf8')))) return null;
    }
    const binary: unknown = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
