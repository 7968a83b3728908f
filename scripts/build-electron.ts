/**
 * Bundles the Electron main process and preload with esbuild. Needs no Electron binary: 'electron'
 * stays external and is resolved by Electron itself at run time. The renderer is built by Vite.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  external: ['electron'],
  legalComments: 'none',
  logLevel: 'warning',
  sourcemap: false,
};

// VEILDESK_DIST_DIR lets parallel work build and test without overwriting each other's dist/.
const dist = process.env.VEILDESK_DIST_DIR ? path.resolve(process.env.VEILDESK_DIST_DIR) : path.join(root, 'dist');

const targets = [
  // Electron 45 ships Node 22; node20 keeps the output conservative.
  { entry: 'main/main.ts', outfile: path.join(dist, 'main/main.cjs'), target: ['node20'] },
  // A sandboxed preload runs in the renderer (Chromium 140) and may only require a few modules.
  { entry: 'preload/preload.ts', outfile: path.join(dist, 'preload/preload.cjs'), target: ['chrome140'] },
];

/** What a sandboxed preload can require; anything else fails at run time, so fail the build. */
const SANDBOX_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url', 'node:events', 'node:timers', 'node:url']);

async function checkPreload(file: string): Promise<void> {
  const code = await readFile(file, 'utf8');
  const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');
  const bad = required.filter((name) => !SANDBOX_PRELOAD_MODULES.has(name));
  if (bad.length > 0) throw new Error(`${file} requires modules a sandboxed preload cannot load: ${bad.join(', ')}`);
}

async function main(): Promise<void> {
  await Promise.all(['main', 'preload'].map((dir) => rm(path.join(dist, dir), { recursive: true, force: true })));
  await Promise.all(
    targets.map(({ entry, outfile, target }) => build({ ...common, entryPoints: [entry], outfile, target })),
  );
  await checkPreload(path.join(dist, 'preload/preload.cjs'));
  for (const { outfile } of targets) {
    const { size } = await stat(outfile);
    console.log(`built ${path.relative(root, outfile)} (${(size / 1024).toFixed(1)} KiB)`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
