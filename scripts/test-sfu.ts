/**
 * `npm run test:sfu`: the tests that need the SFU's mediasoup worker (Vitest project `sfu`, and
 * the Playwright tests tagged @sfu), run last in `npm test`. They are kept apart so that CI can
 * build the worker in the background while everything else runs: this script waits for a build in
 * progress (scripts/mediasoup/build-lock.ts) and then runs them with that worker.
 *
 * Needs a web build for the E2E part (`npm test` builds before it gets here; alone: npm run build).
 * Without a worker the tests are reported as skipped with the reason, unless VEILDESK_REQUIRE_SFU=1
 * (set by .ci/run, which builds one): then a missing worker fails the run. In CI they always run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string): void => void process.stdout.write(`[test:sfu] ${line}\n`);

/** The worker's path (waiting for a build in progress), or null. */
function resolveWorker(): string | null {
  const lookup = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/mediasoup/build-worker.ts'), '--print-path', '--no-build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const found = lookup.stdout?.trim();
  return lookup.status === 0 && found ? found : null;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  say(`${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

const env = { ...process.env };
if (!env.MEDIASOUP_WORKER_BIN) {
  const worker = resolveWorker();
  if (worker) {
    env.MEDIASOUP_WORKER_BIN = worker;
  } else if (env.VEILDESK_REQUIRE_SFU === '1') {
    say('no usable mediasoup worker, and this run requires one (VEILDESK_REQUIRE_SFU=1).');
    const buildLog = env.VEILDESK_WORKER_BUILD_LOG;
    if (buildLog && existsSync(buildLog)) say(`the worker build's output (${buildLog}):\n${readFileSync(buildLog, 'utf8').split('\n').slice(-30).join('\n')}`);
    process.exit(1);
  } else {
    say('no mediasoup worker: the SFU tests will be reported as skipped (build one with npm run mediasoup:worker).');
  }
}
if (env.MEDIASOUP_WORKER_BIN) say(`mediasoup worker: ${env.MEDIASOUP_WORKER_BIN}`);

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const unit = run(npx, ['vitest', 'run', '--project', 'sfu'], env);
const e2e = run(npx, ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--grep', '@sfu'], env);
process.exit(unit || e2e);
