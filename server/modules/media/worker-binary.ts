import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The mediasoup release whose worker Veildesk builds and runs (its deps match Debian bookworm). */
export const MEDIASOUP_VERSION = '3.12.16';

/** Where scripts/mediasoup/build-worker.ts caches the worker it builds, outside the repository. */
export function cachedWorkerPath(version: string = MEDIASOUP_VERSION, env: NodeJS.ProcessEnv = process.env): string {
  const cacheRoot = env.VEILDESK_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'veildesk');
  return path.join(cacheRoot, `mediasoup-worker-${version}`);
}

/** The npm package's own worker (prebuilt download or its own build, on machines with internet). */
export function packagedWorkerPath(mediasoupDir: string): string {
  return path.join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
}

export type WorkerCheck = { usable: true } | { usable: false; reason: string };

/**
 * A worker binary is usable when it exists, is executable and starts: run without
 * MEDIASOUP_VERSION, a mediasoup 3.x worker exits with its own code 41 right after its shared
 * libraries load. A missing library gives 127, a wrong architecture an exec error.
 */
export function checkWorkerBinary(file: string): WorkerCheck {
  if (!existsSync(file)) return { usable: false, reason: `${file} does not exist` };
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return { usable: false, reason: `${file} is not executable` };
  }
  const env = { ...process.env };
  delete env.MEDIASOUP_VERSION;
  const run = spawnSync(file, [], { env, timeout: 10_000, encoding: 'utf8' });
  if (run.error) return { usable: false, reason: `${file} does not start: ${run.error.message}` };
  if (run.status === 41) return { usable: true };
  const detail = (run.stderr || run.stdout || '').trim().split('\n').slice(-2).join(' ');
  return { usable: false, reason: `${file} exited with ${run.status ?? run.signal} (${detail || 'no output'})` };
}

/**
 * The worker binary to use, in order: MEDIASOUP_WORKER_BIN, the cached build, the npm package's
 * own. Returns null (with why) when none is usable; the server then shares peer to peer.
 */
export function findWorkerBinary(
  mediasoupDir: string | null,
  env: NodeJS.ProcessEnv = process.env,
): { path: string } | { path: null; reason: string } {
  const candidates = env.MEDIASOUP_WORKER_BIN
    ? [env.MEDIASOUP_WORKER_BIN]
    : [cachedWorkerPath(MEDIASOUP_VERSION, env), ...(mediasoupDir ? [packagedWorkerPath(mediasoupDir)] : [])];
  const reasons: string[] = [];
  for (const file of candidates) {
    const check = checkWorkerBinary(file);
    if (check.usable) return { path: file };
    reasons.push(check.reason);
  }
  return { path: null, reason: `${reasons.join('; ')}. Build one with npm run mediasoup:worker` };
}
