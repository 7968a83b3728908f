import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { InstallOutcome } from './desktop-decision';

const require = createRequire(import.meta.url);

export interface InstallProgress {
  bytes: number;
  elapsedMs: number;
}

/**
 * Runs node_modules/electron/install.js (the package's own installer, which honours ELECTRON_MIRROR,
 * electron_config_cache, ELECTRON_GET_USE_PROXY and the rest) in a child process. The installer
 * shows no progress until 30 s have passed and only on a terminal, so the child gets a temporary
 * folder of its own (TMPDIR) and the bytes downloaded into it are reported once a second.
 */
export function runElectronInstaller(
  limitMs: number,
  onProgress: (p: InstallProgress) => void,
  installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js'),
): Promise<InstallOutcome> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'veildesk-electron-'));
  const started = Date.now();
  return new Promise<InstallOutcome>((resolve) => {
    const child = spawn(process.execPath, [installer], {
      env: { ...process.env, TMPDIR: scratch, ELECTRON_GET_NO_PROGRESS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr = (stderr + text).slice(-8000);
    });
    const ticker = setInterval(() => onProgress({ bytes: folderBytes(scratch), elapsedMs: Date.now() - started }), 1000);
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    const finish = (outcome: InstallOutcome): void => {
      clearInterval(ticker);
      clearTimeout(limit);
      rmSync(scratch, { recursive: true, force: true });
      resolve(outcome);
    };
    child.on('error', (error) => finish({ ok: false, reason: `the installer could not run (${error.message})` }));
    child.on('exit', (code) => {
      if (timedOut) finish({ ok: false, reason: `no complete download within ${Math.round(limitMs / 1000)} s (a slow or blocked connection; raise VEILDESK_ELECTRON_DOWNLOAD_TIMEOUT_S or set ELECTRON_MIRROR)` });
      else if (code === 0) finish({ ok: true });
      else finish({ ok: false, reason: explainInstallerFailure(stderr) });
    });
  });
}

/** Turns the installer's error output into one sentence that says what to do next. */
export function explainInstallerFailure(stderr: string): string {
  const http = /Response code (\d{3})[^\n]*? for (\S+)/.exec(stderr);
  if (http) return `the download server answered ${http[1]} for ${http[2]} (check ELECTRON_MIRROR and ELECTRON_CUSTOM_DIR)`;
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/.test(stderr)) {
    return 'the download server could not be reached (no internet access here, or a proxy: set HTTPS_PROXY with ELECTRON_GET_USE_PROXY=1, or ELECTRON_MIRROR)';
  }
  if (/checksum/i.test(stderr)) return 'the downloaded file did not match its checksum (a proxy or mirror altered it); delete the cached zip and try again';
  const firstLine = stderr.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
  return firstLine ? `the installer failed: ${firstLine}` : 'the installer failed without saying why';
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      total += statSync(path.join(entry.parentPath, entry.name)).size;
    } catch {
      // The installer moves files while we look; a vanished file counts as nothing.
    }
  }
  return total;
}

/** A line of progress at most every `everyMs`: megabytes so far and seconds elapsed. */
export function progressPrinter(say: (line: string) => void, everyMs = 3000): (p: InstallProgress) => void {
  let lastAt = -Infinity;
  return ({ bytes, elapsedMs }) => {
    if (elapsedMs - lastAt < everyMs) return;
    lastAt = elapsedMs;
    say(`  downloading Electron: ${(bytes / 1e6).toFixed(1)} MB of about 100 MB, ${Math.round(elapsedMs / 1000)} s`);
  };
}
