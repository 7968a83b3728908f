import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainInstallerFailure, runElectronInstaller, type InstallProgress } from '../../../scripts/desktop/electron-install';

/** Stand-in installers: real child processes that behave like the electron package's install.js would. */
function installerScript(body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vd-installer-'));
  const file = path.join(dir, 'install.cjs');
  writeFileSync(file, body);
  return file;
}

describe('runElectronInstaller', () => {
  it('reports the bytes written into its temporary folder while the installer runs, then succeeds', async () => {
    const installer = installerScript(`
      const fs = require('fs'), path = require('path');
      const file = path.join(process.env.TMPDIR, 'electron-download-x', 'electron.zip');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      let n = 0;
      const t = setInterval(() => { fs.appendFileSync(file, Buffer.alloc(500_000)); if (++n === 6) { clearInterval(t); process.exit(0); } }, 300);`);
    const seen: InstallProgress[] = [];
    const outcome = await runElectronInstaller(20_000, (p) => seen.push(p), installer);
    expect(outcome).toEqual({ ok: true });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen.map((p) => p.bytes))).toBeGreaterThan(0);
  });

  it('ends an installer that hangs at the time limit and says so', async () => {
    const installer = installerScript('setInterval(() => {}, 1000);');
    const started = Date.now();
    const outcome = await runElectronInstaller(1500, () => undefined, installer);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/no complete download within 2 s/);
  });

  it('turns a failed download into a sentence with a next step', async () => {
    const installer = installerScript("console.error('TypeError: fetch failed\\n    at node:internal/deps/undici'); process.exit(1);");
    const outcome = await runElectronInstaller(20_000, () => undefined, installer);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/could not be reached .*ELECTRON_MIRROR/);
  });
});

describe('explainInstallerFailure', () => {
  it('names the HTTP status and URL of a refused download', () => {
    expect(explainInstallerFailure('HTTPError: Response code 404 (Not Found) for https://mirror/v45/electron.zip\n    at x')).toBe(
      'the download server answered 404 for https://mirror/v45/electron.zip (check ELECTRON_MIRROR and ELECTRON_CUSTOM_DIR)',
    );
  });
  it('recognises a checksum mismatch and falls back to the first message line', () => {
    expect(explainInstallerFailure('Error: Generated checksum for "x.zip" did not match expected checksum.')).toMatch(/checksum/);
    expect(explainInstallerFailure('Error: EACCES: permission denied\n    at open')).toBe('the installer failed: Error: EACCES: permission denied');
  });
});
