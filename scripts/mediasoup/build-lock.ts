import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * A marker beside the cached worker while a build runs (`<worker>.building`, holding the builder's
 * pid), so that another process can wait for that build instead of starting a second one: CI
 * starts the build in the background and the SFU tests, which run last, wait for it.
 */
export function lockPath(target: string): string {
  return `${target}.building`;
}

export function takeBuildLock(target: string): () => void {
  const file = lockPath(target);
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

/** The pid of a live build of `target`, or null (a marker left by a killed build does not count). */
export function buildInProgress(target: string): number | null {
  const file = lockPath(target);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Waits while a build of `target` is in progress, calling `onWait` about once a minute with the
 * minutes waited. Resolves false when `timeoutMs` passed with the build still running.
 */
export async function waitForBuild(target: string, timeoutMs: number, onWait: (minutes: number, pid: number) => void): Promise<boolean> {
  const started = Date.now();
  let lastReport = -1;
  for (;;) {
    const pid = buildInProgress(target);
    if (pid === null) return true;
    const waited = Date.now() - started;
    if (waited >= timeoutMs) return false;
    const minutes = Math.floor(waited / 60_000);
    if (minutes !== lastReport) {
      lastReport = minutes;
      onWait(minutes, pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
