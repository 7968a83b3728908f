import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { judge, parseReport, type Report } from './electronegativity-report';

/**
 * `npm run lint:electron`: Electronegativity over the desktop app (main/, preload/, renderer/ and
 * package.json, for the Electron version) as one app, so its global checks (navigation limits,
 * permission handler, CSP) see code that lives in another folder. Fails on any finding of MEDIUM
 * or above in the tool's own CSV. Offline: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK is left out
 * because it downloads Electron's release list from GitHub (and reports nothing without it); the
 * Electron version is upgraded by the dependency update, not here.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP_FOLDERS = ['main', 'preload', 'renderer'] as const;
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export interface ScanResult {
  report: Report;
  csvPath: string;
  ok: boolean;
  lines: string[];
  durationMs: number;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, LANG: 'en-US' }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Makes the tool's two unawaited writes of the report run in order (see the file). */
const SERIAL_WRITES = pathToFileURL(path.join(root, 'scripts', 'desktop', 'serial-writes.mjs')).href;

/** How often a scan is run when its report comes back garbled anyway. */
const SCAN_ATTEMPTS = 3;

/** Scans a copy of the app folders (the tool takes one input) and reads its CSV. */
export async function scanDesktopApp(options: { repoRoot?: string; csvPath?: string } = {}): Promise<ScanResult> {
  const repoRoot = options.repoRoot ?? root;
  const csvPath = options.csvPath ?? path.join(repoRoot, '.tmp', 'electronegativity', 'electronegativity.csv');
  const started = Date.now();
  const work = await mkdtemp(path.join(tmpdir(), 'veildesk-eng-'));
  try {
    const input = path.join(work, 'app');
    for (const folder of APP_FOLDERS) {
      await cp(path.join(repoRoot, folder), path.join(input, folder), { recursive: true, filter: (src) => !src.includes('node_modules') });
    }
    await cp(path.join(repoRoot, 'package.json'), path.join(input, 'package.json'));
    await mkdir(path.dirname(csvPath), { recursive: true });
    const cli = createRequire(path.join(repoRoot, 'package.json')).resolve('@doyensec/electronegativity/dist/index.js');
    // The tool writes the CSV header (truncating the file) and appends the rows without waiting for
    // one another, so now and then the header lands over the first row. Such a report is scanned
    // again (the rows never change between runs); a report still garbled after that is judged as is.
    let code = 0;
    let output = '';
    let report = parseReport('');
    for (let attempt = 0; attempt < SCAN_ATTEMPTS; attempt += 1) {
      await rm(csvPath, { force: true });
      ({ code, output } = await run(process.execPath, ['--import', SERIAL_WRITES, cli, '-i', input, '-o', csvPath, '-r', '-x', NETWORK_CHECKS.join(',')], repoRoot));
      let csv = '';
      try {
        csv = await readFile(csvPath, 'utf8');
      } catch {
        // Judged below as an empty report.
      }
      report = parseReport(csv);
      if (report.unreadable.length === 0) break;
    }
    const verdict = judge(report);
    if (code !== 0) {
      verdict.ok = false;
      verdict.lines.push(`electronegativity exited with ${code}: ${output.trim().slice(-500)}`);
    }
    return { report, csvPath, ok: verdict.ok, lines: verdict.lines, durationMs: Date.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await scanDesktopApp();
  for (const line of result.lines) (result.ok ? console.log : console.error)(line);
  console.log(`CSV: ${path.relative(process.cwd(), result.csvPath)} (${(result.durationMs / 1000).toFixed(1)} s)`);
  process.exitCode = result.ok ? 0 : 1;
}
