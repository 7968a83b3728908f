import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cacheHolds, checkDist, distTargets, electronCacheDir } from './dist-check';
import { root } from './launch';

/**
 * `npm run dist [-- electron-builder flags]`: checks what packaging needs (scripts/desktop/dist-check.ts),
 * then builds and runs electron-builder into release/. Stops before building when something is missing.
 */
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
const cacheDir = electronCacheDir(process.env);

const findings = await checkDist(distTargets(args, process.platform), {
  env: process.env,
  platform: process.platform,
  arch: process.arch,
  electronVersion,
  cacheHolds: (name) => cacheHolds(cacheDir, name),
  reachable: async (url) => {
    try {
      await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
      return true;
    } catch {
      return false;
    }
  },
});
const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
for (const f of findings) process.stdout.write(`[dist] ${mark[f.level]} ${f.what}: ${f.detail}\n`);
if (findings.some((f) => f.level === 'fail')) {
  process.stderr.write('[dist] Not packaging: fix the FAIL lines above, then run npm run dist again.\n');
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const step = (command: string, commandArgs: string[]): void => {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
step(npm, ['run', 'build']);
step(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-builder', '--config', 'electron-builder.yml', ...args]);
