import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { cachedWorkerPath, checkWorkerBinary, MEDIASOUP_VERSION } from '../../server/modules/media/worker-binary';
import { buildInProgress, takeBuildLock, waitForBuild } from './build-lock';
import { APT_PACKAGES, BUILD_TOOLS, SYSTEM_SUBPROJECTS, subprojectMeson } from './system-subprojects';

/**
 * `npm run mediasoup:worker`: makes sure a usable mediasoup worker exists, building it from the npm
 * package's own worker sources against Debian's system libraries when it does not (no download:
 * mediasoup's wrap files are replaced by local subprojects). The binary is cached by version outside
 * the repository; the path is printed on stdout with --print-path (progress goes to stderr).
 *
 *   --force        build even when a usable cached worker exists
 *   --print-path   print only the binary's path on stdout (for `export MEDIASOUP_WORKER_BIN=$(…)`)
 *   --source DIR   mediasoup package folder (default: the installed node_modules/mediasoup)
 *   --no-build     never build: exit 1 when no usable cached worker exists (CI's quick check)
 * A build already running for the same cache (another process) is waited for, never duplicated.
 *   --optimization 0|1|2|3|s  compiler optimization (default 2, or VEILDESK_WORKER_OPTIMIZATION):
 *                  mediasoup's own release build is 3; 2 is close in speed and compiles faster
 */
const args = process.argv.slice(2);
const force = args.includes('--force');
const printPath = args.includes('--print-path');
const noBuild = args.includes('--no-build');
const sourceArg = args.includes('--source') ? args[args.indexOf('--source') + 1] : undefined;
const optimization = args.includes('--optimization') ? args[args.indexOf('--optimization') + 1] : (process.env.VEILDESK_WORKER_OPTIMIZATION ?? '2');
const log = (line: string): void => void process.stderr.write(`[mediasoup-worker] ${line}\n`);

function fail(message: string): never {
  log(message);
  process.exit(1);
}

function mediasoupPackageDir(): string {
  if (sourceArg) return path.resolve(sourceArg);
  try {
    return path.dirname(createRequire(import.meta.url).resolve('mediasoup/package.json'));
  } catch {
    return fail('The mediasoup npm package is not installed. Run npm install first.');
  }
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Names the apt packages to install when a tool or a system library is missing. */
function checkPrerequisites(): void {
  const missing = new Set<string>();
  for (const tool of BUILD_TOOLS) if (!hasCommand(tool.command)) missing.add(tool.aptPackage);
  if (hasCommand('pkg-config')) {
    for (const sub of SYSTEM_SUBPROJECTS) {
      if (sub.pkgConfig.length && spawnSync('pkg-config', ['--exists', ...sub.pkgConfig]).status !== 0) missing.add(sub.aptPackage);
    }
  }
  if (missing.size) {
    fail(`Missing build prerequisites. Install them and run again:\n  apt-get install ${[...missing].join(' ')}\n(all of them: ${APT_PACKAGES.join(' ')})`);
  }
}

/**
 * Most of the compile time is parsing the same heavy headers (nlohmann/json, abseil's hash maps, the
 * standard library) in each of ~165 files, so the worker executable gets a precompiled header of
 * them (VEILDESK_WORKER_PCH=0 turns it off). Returns the meson.build text, unchanged when the
 * executable's definition is not where this expects it.
 */
function withPrecompiledHeader(meson: string, workerDir: string): string {
  if (process.env.VEILDESK_WORKER_PCH === '0') return meson;
  const anchor = "cpp_args: cpp_args + ['-DMS_EXECUTABLE'],";
  if (!meson.includes(anchor)) {
    log('note: the worker executable is not defined as expected; building without a precompiled header');
    return meson;
  }
  mkdirSync(path.join(workerDir, 'pch'), { recursive: true });
  const headers = ['string', 'vector', 'map', 'unordered_map', 'deque', 'memory', 'cstring', 'sstream', 'nlohmann/json.hpp', 'absl/container/flat_hash_map.h', 'absl/container/flat_hash_set.h'];
  writeFileSync(path.join(workerDir, 'pch', 'worker_pch.hpp'), headers.map((h) => `#include <${h}>`).join('\n') + '\n');
  return meson.replace(anchor, `${anchor}\n  cpp_pch: 'pch/worker_pch.hpp',`);
}

/** Copies the package's worker sources and swaps the downloading wraps for system subprojects. */
function prepareSources(packageDir: string, buildRoot: string): string {
  rmSync(buildRoot, { recursive: true, force: true });
  const workerDir = path.join(buildRoot, 'worker');
  cpSync(path.join(packageDir, 'worker'), workerDir, { recursive: true });
  const mesonFile = path.join(workerDir, 'meson.build');
  const meson = readFileSync(mesonFile, 'utf8');
  // Debian bookworm ships meson 1.0.1; the worker uses nothing newer than 0.60.
  const relaxed = meson.replace(/meson_version\s*:\s*'[^']*'/, "meson_version: '>= 0.60.0'");
  if (relaxed === meson && !/meson_version: '>= 0\.60\.0'/.test(meson)) log('note: no meson_version line found to relax');
  writeFileSync(mesonFile, withPrecompiledHeader(relaxed, workerDir));
  const subDir = path.join(workerDir, 'subprojects');
  for (const entry of readdirSync(subDir)) if (entry.endsWith('.wrap')) rmSync(path.join(subDir, entry));
  for (const sub of SYSTEM_SUBPROJECTS) {
    const dir = path.join(subDir, sub.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'meson.build'), subprojectMeson(sub));
    if (sub.options) writeFileSync(path.join(dir, 'meson_options.txt'), sub.options);
    writeFileSync(path.join(dir, 'placeholder.c'), '/* empty: the system library is linked as a shared library */\nint veildesk_placeholder_unused;\n');
  }
  return workerDir;
}

function run(command: string, commandArgs: string[], cwd: string, onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const handle = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
        onLine?.(line);
      }
    };
    child.stdout.on('data', handle);
    child.stderr.on('data', handle);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${commandArgs.join(' ')} exited with ${code}:\n${tail.join('\n')}`))));
  });
}

async function build(packageDir: string, version: string, target: string): Promise<void> {
  checkPrerequisites();
  const buildRoot = path.join(path.dirname(target), `build-mediasoup-${version}`);
  const started = Date.now();
  const elapsed = (): string => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`building mediasoup ${version}'s worker from ${packageDir} with system libraries, -O${optimization} (several minutes on 2 cores)`);
  const release = takeBuildLock(target);
  try {
    await compile(packageDir, buildRoot, target, elapsed);
  } finally {
    release();
  }
}

async function compile(packageDir: string, buildRoot: string, target: string, elapsed: () => string): Promise<void> {
  const workerDir = prepareSources(packageDir, buildRoot);
  if (!/^[0123s]$/.test(optimization ?? '')) fail(`--optimization must be one of 0 1 2 3 s (got ${optimization ?? 'nothing'})`);
  await run('meson', ['setup', 'build', `-Doptimization=${optimization}`, '-Ddebug=false', '-Db_ndebug=true', '--wrap-mode=nodownload'], workerDir);
  log(`configured (${elapsed()}); compiling`);
  let lastShown = -1;
  const jobs = String(Math.max(1, availableParallelism()));
  await run('ninja', ['-C', 'build', '-j', jobs, 'mediasoup-worker'], workerDir, (line) => {
    const step = /^\[(\d+)\/(\d+)\]/.exec(line);
    if (!step) return;
    const percent = Math.floor((Number(step[1]) / Number(step[2])) * 100);
    if (percent >= lastShown + 5 || Number(step[1]) === Number(step[2])) {
      lastShown = percent;
      log(`${percent}% (${step[1]}/${step[2]} steps, ${elapsed()})`);
    }
  });
  const built = path.join(workerDir, 'build', 'mediasoup-worker');
  const check = checkWorkerBinary(built);
  if (!check.usable) throw new Error(`the built worker does not run: ${check.reason}`);
  const temporary = `${target}.tmp-${process.pid}`;
  cpSync(built, temporary);
  renameSync(temporary, target);
  rmSync(buildRoot, { recursive: true, force: true });
  log(`built in ${elapsed()}: ${target}`);
}

async function main(): Promise<void> {
  const packageDir = mediasoupPackageDir();
  const version = (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  if (version !== MEDIASOUP_VERSION) log(`note: the package is mediasoup ${version}; Veildesk pins ${MEDIASOUP_VERSION}`);
  const target = cachedWorkerPath(version);
  mkdirSync(path.dirname(target), { recursive: true });
  if (buildInProgress(target) !== null) {
    const done = await waitForBuild(target, 30 * 60_000, (minutes, pid) => log(`another process (pid ${pid}) is building the worker; waiting (${minutes} min so far)`));
    if (!done) fail('the build in progress did not finish within 30 minutes');
  }
  const cached = existsSync(target) ? checkWorkerBinary(target) : null;
  if (cached?.usable && (!force || noBuild)) {
    log(`using the cached worker ${target}`);
  } else if (noBuild) {
    fail(cached && !cached.usable ? `the cached worker is not usable (${cached.reason})` : `no cached worker at ${target}`);
  } else {
    if (cached && !cached.usable) log(`the cached worker is not usable (${cached.reason}); rebuilding`);
    await build(packageDir, version, target).catch((error: unknown) =>
      fail(`build failed: ${error instanceof Error ? error.message : String(error)}\nThe sources stay in ${path.join(path.dirname(target), `build-mediasoup-${version}`)} for inspection. Without a worker, screen shares stay peer to peer.`),
    );
  }
  if (printPath) process.stdout.write(`${target}\n`);
}

await main();
