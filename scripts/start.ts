import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_PORT } from '../shared/version';
import type { DesktopChoice } from './desktop/desktop-decision';
import { buildIfMissing, openDesktopApp, prepareDesktop, root } from './desktop/launch';

/**
 * `npm start`: builds what is missing, starts the backend (embedded SQLite, demo org on first
 * start), and meanwhile finds Electron's binary (downloading it once when missing, see
 * scripts/desktop/). When both are ready it opens the desktop app, else prints why not and the web
 * agent's URL and keeps serving. Ctrl+C stops everything.
 */

buildIfMissing('dist/renderer/index.html', 'build:renderer');
buildIfMissing('dist/widget/index.html', 'build:widget');

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

// The download (first start only) runs while the server starts, so neither waits for the other.
const desktop: Promise<DesktopChoice> = prepareDesktop().catch((error: Error) => ({ kind: 'web', reason: error.message }));

const serverUrl = new Promise<string>((resolve) => {
  server.stdout?.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    const match = /on (http:\/\/\S+)/.exec(chunk.toString());
    if (match?.[1]) resolve(match[1]);
  });
});

void Promise.all([serverUrl, desktop]).then(([url, choice]) => {
  if (stopping) return;
  if (choice.kind === 'electron') {
    const app = openDesktopApp(choice.binary, url);
    children.push(app);
    app.on('exit', () => stopAll(0));
    return;
  }
  process.stdout.write(
    `\nNo desktop window: ${choice.reason}.\nOpen the web agent in a browser: ${url}/\nCustomer widget (for trying chats and calls): ${url}/widget/\nPress Ctrl+C to stop.\n`,
  );
});
