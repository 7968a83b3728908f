import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORT } from '../shared/version';
import { electronBinary } from './electron-binary';

/**
 * `npm start`: builds what is missing, starts the backend (embedded SQLite, demo org on first
 * start), then opens the desktop app when the Electron binary is installed, else prints the web
 * agent URL and keeps serving. Ctrl+C stops everything.
 */
const root = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function buildIfMissing(output: string, script: string): void {
  if (existsSync(path.join(root, output))) return;
  process.stdout.write(`Building ${output} (npm run ${script})…\n`);
  const result = spawnSync(npm, ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`Build failed (npm run ${script}). Fix the error above and run npm start again.\n`);
    process.exit(result.status ?? 1);
  }
}

buildIfMissing('dist/renderer/index.html', 'build:renderer');
buildIfMissing('dist/widget/index.html', 'build:widget');
const electron = electronBinary();
if (electron) buildIfMissing('dist/main/main.cjs', 'build:electron');

/**
 * The SFU's mediasoup worker: built (once per version, cached outside the repo) when no usable one
 * exists. A failed build is not fatal: the server then shares screens peer to peer.
 */
function ensureMediaWorker(): void {
  if (process.env.MEDIASOUP_WORKER_BIN || process.env.VEILDESK_SHARE_TRANSPORT === 'p2p' || process.env.VEILDESK_MEDIA_WORKERS === '0') return;
  const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/mediasoup/build-worker.ts'), '--print-path'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const workerPath = build.stdout?.trim();
  if (build.status === 0 && workerPath) process.env.MEDIASOUP_WORKER_BIN = workerPath;
  else process.stderr.write('No mediasoup worker: screen shares go peer to peer and live monitoring is off (see docs/operations.md, "SFU").\n');
}
ensureMediaWorker();

const port = process.env.PORT ?? String(DEFAULT_PORT);
const children: ChildProcess[] = [];
const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts'), ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, PORT: port },
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(server);

let stopping = false;
function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
server.on('exit', (code) => stopAll(code ?? 1));

let announced = false;
server.stdout?.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const match = /on (http:\/\/\S+)/.exec(chunk.toString());
  if (announced || !match?.[1]) return;
  announced = true;
  const url = match[1];
  if (electron) {
    process.stdout.write(`Opening the Veildesk desktop app (server ${url})…\n`);
    const app = spawn(electron, [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.join(root, 'dist/main/main.cjs')], {
      cwd: root,
      env: { ...process.env, VEILDESK_SERVER_URL: url },
      stdio: 'inherit',
    });
    children.push(app);
    app.on('exit', () => stopAll(0));
  } else {
    process.stdout.write(
      `\nElectron's binary is not installed here, so no desktop window opens.\nOpen the web agent in a browser: ${url}/\nCustomer widget (for trying chats and calls): ${url}/widget/\nPress Ctrl+C to stop.\n`,
    );
  }
});
