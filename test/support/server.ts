import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseFor } from './test-database';

export interface TestServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The web build under test: dist/ unless VEILDESK_DIST_DIR points at another build. */
export const DIST_DIR = process.env.VEILDESK_DIST_DIR ? path.resolve(process.env.VEILDESK_DIST_DIR) : path.join(ROOT, 'dist');

/**
 * Starts the real backend as its own process on a free port with a fresh data dir (demo org
 * seeded), and resolves once it printed its address. Each test gets its own.
 */
export async function startTestServer(
  opts: { graceMs?: number; env?: Record<string, string>; args?: string[]; dataDir?: string; nodeArgs?: string[] } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-test-'));
  // PostgreSQL runs (VEILDESK_TEST_DATABASE=postgres): the data dir's own database (test-database.ts),
  // empty for a fresh data dir, as a new SQLite file would be.
  const databaseUrl = await testDatabaseFor(dataDir, 'empty');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'server/main.ts'), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      VEILDESK_DATA_DIR: dataDir,
      VEILDESK_PRESENCE_GRACE_MS: String(opts.graceMs ?? 1500),
      VEILDESK_STATIC_DIR: path.join(DIST_DIR, 'renderer'),
      LOG_LEVEL: 'warn',
      // The tests' password cost (in-process.ts): production's 2^17 would add seconds to every start and sign-in.
      VEILDESK_PASSWORD_SCRYPT_N: String(1 << 14),
      ...(databaseUrl ? { VEILDESK_DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const onData = () => {
      const match = /on (http:\/\/[^\s]+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${out}`));
    });
  });

  return {
    url,
    dataDir,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
