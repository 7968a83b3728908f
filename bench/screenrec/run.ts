/**
 * Screen recording bench (issue 20). In one Chromium run, for a static 1920×1080 screen:
 *  - the CPU screen recording adds (2 fps, share pipeline with two masks, VP8 WebM 1 s chunks) over
 *    the same screen captured at 2 fps alone; target ≤ 0.2 cores;
 *  - the upload bitrate of its chunks; target ≤ 300 kbit/s;
 *  - the same two figures for sharing the same screen (30 fps, pipeline, loopback WebRTC) over the
 *    screen at 30 fps alone, for comparison.
 * CPU is all Chromium processes' (bench/share/cpu.ts). The machine's load average is printed: other
 * work on it raises CPU; do not quote figures from a shared machine as final.
 *
 * Usage: npm run bench:screenrec [-- --seconds 20 --rounds 2]
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { fmt } from '../lib/stats';
import { cliOptions } from '../lib/cli';
import { browserCpu, findBrowserPid } from '../share/cpu';
import { CHROMIUM_ARGS, findChromium } from '../../test/support/chromium';
import type { Scenario } from './page';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = cliOptions();
const SECONDS = Number(arg('seconds', '20'));
const ROUNDS = Number(arg('rounds', '2'));
const WARMUP_MS = 3000;

async function bundle(dir: string): Promise<void> {
  const common = { bundle: true, format: 'esm' as const, target: 'es2022', absWorkingDir: root, logLevel: 'warning' as const, minify: true };
  await build({ ...common, entryPoints: ['bench/screenrec/page.ts'], outfile: path.join(dir, 'page.js') });
  await build({ ...common, entryPoints: ['renderer/media/share/crop-worker.ts'], outfile: path.join(dir, 'crop-worker.js') });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>screenrec bench</title><body><script type="module" src="./page.js"></script></body>');
}

function serve(dir: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : path.basename(req.url ?? '');
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() })),
  );
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-screenrec-bench-'));
  await bundle(dir);
  const site = await serve(dir);
  const profile = path.join(dir, 'profile');
  const args = [...CHROMIUM_ARGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding'];
  const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), headless: true, args });
  try {
    const pid = findBrowserPid(profile);
    if (!pid) throw new Error('could not find the Chromium process');
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(site.url);
    await page.waitForFunction(() => Boolean(window.screenrecBench));
    const scenarios: Scenario[] = ['source-2', 'screenrec', 'source-30', 'share'];
    const cpu = new Map<Scenario, number[]>(scenarios.map((s) => [s, []]));
    const kbit = new Map<Scenario, number[]>(scenarios.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of scenarios) {
        await page.evaluate((x) => window.screenrecBench.start(x), s);
        await page.waitForTimeout(WARMUP_MS);
        const before = browserCpu(pid).total;
        await page.evaluate(() => window.screenrecBench.mark());
        await page.waitForTimeout(SECONDS * 1000);
        const after = browserCpu(pid).total;
        kbit.get(s)!.push((await page.evaluate(() => window.screenrecBench.read())).kbitPerSecond);
        await page.evaluate(() => window.screenrecBench.stop());
        cpu.get(s)!.push((after - before) / SECONDS);
      }
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const added = (s: Scenario, base: Scenario) => avg(cpu.get(s)!) - avg(cpu.get(base)!);
    console.log(`\nScreen recording vs sharing, static 1920×1080 screen, ${ROUNDS} × ${SECONDS} s per scenario`);
    console.log(`machine: ${os.cpus().length} CPUs, load average before ${loadBefore.map((l) => l.toFixed(1)).join(' / ')}, after ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
    console.log('scenario     CPU (cores)  added over its source  upload (kbit/s)  target');
    const rec = added('screenrec', 'source-2');
    const recKbit = avg(kbit.get('screenrec')!);
    console.log(`source 2 fps ${fmt(avg(cpu.get('source-2')!)).padStart(11)}`);
    console.log(`screenrec    ${fmt(avg(cpu.get('screenrec')!)).padStart(11)}  ${fmt(rec).padStart(21)}  ${fmt(recKbit, 1).padStart(15)}  ≤ 0.2 cores, ≤ 300 kbit/s${rec <= 0.2 && recKbit <= 300 ? ' ok' : ' MISSED'}`);
    console.log(`source 30fps ${fmt(avg(cpu.get('source-30')!)).padStart(11)}`);
    console.log(`share        ${fmt(avg(cpu.get('share')!)).padStart(11)}  ${fmt(added('share', 'source-30')).padStart(21)}  ${fmt(avg(kbit.get('share')!), 1).padStart(15)}  (comparison)`);
    console.log(`per round, cores: ${scenarios.map((s) => `${s} ${cpu.get(s)!.map((x) => fmt(x)).join('/')}`).join('; ')}`);
  } finally {
    await context.close();
    site.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
