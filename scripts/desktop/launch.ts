import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveDesktop, type DesktopChoice } from './desktop-decision';
import { electronBinary } from './electron-binary';
import { progressPrinter, runElectronInstaller } from './electron-install';

/** What `npm start` and `npm run desktop` share: finding or fetching Electron, building and opening the app. */

export const root = path.resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** Runs `npm run <script>` when `output` is missing; exits with a next step when the build fails. */
export function buildIfMissing(output: string, script: string): void {
  if (existsSync(path.join(root, output))) return;
  say(`Building ${output} (npm run ${script})…`);
  const result = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Build failed (npm run ${script}). Fix the error above and run the command again.\n`);
    process.exit(result.status ?? 1);
  }
}

/** The Electron binary, downloaded once when missing (with progress and a time limit), or why not. */
export function prepareDesktop(): Promise<DesktopChoice> {
  return resolveDesktop({
    findBinary: electronBinary,
    install: (limitMs) => runElectronInstaller(limitMs, progressPrinter(say)),
    env: process.env,
    say,
  });
}

/** Opens the desktop app against `serverUrl`. Root (containers, CI) needs Chromium's --no-sandbox. */
export function openDesktopApp(binary: string, serverUrl: string): ChildProcess {
  buildIfMissing('dist/main/main.cjs', 'build:electron');
  say(`Opening the Veildesk desktop app (server ${serverUrl})…`);
  return spawn(binary, [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.join(root, 'dist/main/main.cjs')], {
    cwd: root,
    env: { ...process.env, VEILDESK_SERVER_URL: serverUrl },
    stdio: 'inherit',
  });
}
