import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startInProcess } from '../../test/support/in-process';
import { seedReportInteractions, type ReportSeedInteraction } from '../../test/support/report-seed';
import { cliOptions } from '../lib/cli';
import { fmt, percentile } from '../lib/stats';

/**
 * `npm run bench:reports`: the reports over a seeded history, against a baseline in the same run on
 * the same rows (a plain COUNT(*) GROUP BY queue and day, straight on the database: the least any
 * report of these rows costs).
 * - GET /api/reports?by=queue,day over the whole range: p99 of `--requests` (target < 300 ms).
 * - GET /api/reports/anonymous?by=queue,hour over the whole range: p99 (target < 1 s).
 * Reports read the hourly rollup (migration 021): the seed writes rows directly, so the first report
 * rebuilds it (timed apart); one line times reports with a new interaction before each (its hour
 * rebuilt first), as under live traffic.
 * Options: --interactions N (default 100000), --days N (range, default 30, at most 31),
 * --requests N (default 20).
 */
const arg = cliOptions();
const total = Number(arg('interactions', '100000'));
const days = Math.min(31, Number(arg('days', '30')));
const requests = Number(arg('requests', '20'));

const DAY_MS = 86_400_000;
const rnd = (() => {
  let s = 4242;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
})();

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-bench-reports-'));
  const server = await startInProcess({ dataDir });
  try {
    const agents = await server.db.kysely.selectFrom('users').select(['id', 'username']).where('role', '=', 'agent').execute();
    const end = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
    const start = end - days * DAY_MS;
    const items: ReportSeedInteraction[] = [];
    for (let n = 0; n < total; n += 1) {
      const agent = agents[Math.floor(rnd() * agents.length)]!;
      const abandoned = rnd() < 0.08;
      items.push({
        queueId: rnd() < 0.6 ? 'general' : 'billing',
        createdAt: new Date(start + Math.floor(rnd() * (end - start))),
        kind: rnd() < 0.3 ? 'call' : 'chat',
        ...(abandoned ? { abandonedAfterMs: 5_000 + Math.floor(rnd() * 120_000) } : { agent }),
        waitMs: Math.floor(rnd() * 180_000),
        talkMs: 30_000 + Math.floor(rnd() * 600_000),
        wrapupMs: Math.floor(rnd() * 60_000),
        disposition: rnd() < 0.7 ? 'Resolved' : 'Follow-up needed',
        transfers: rnd() < 0.05 ? 1 : 0,
        securePauses: rnd() < 0.03 ? 1 : 0,
        sensitive: rnd() < 0.02,
      });
    }
    const seedStart = Date.now();
    await seedReportInteractions(server.db, items);
    console.log(`seeded ${total} interactions over ${days} days in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    const token = ((await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'super1', password: 'demo' }) })).json()) as { token: string }).token;
    const range = `from=${encodeURIComponent(new Date(start).toISOString())}&to=${encodeURIComponent(new Date(end).toISOString())}`;
    // fn may time itself (returning ms) when it does untimed work first.
    const timeRequests = async (what: string, fn: () => Promise<number | void>) => {
      await fn(); // warm-up, not counted
      const times: number[] = [];
      for (let i = 0; i < requests; i += 1) {
        const t = process.hrtime.bigint();
        const own = await fn();
        times.push(typeof own === 'number' ? own : Number(process.hrtime.bigint() - t) / 1e6);
      }
      return { what, p50: percentile(times, 50), p99: percentile(times, 99) };
    };
    const get = (pathname: string) => async () => {
      const res = await fetch(`${server.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${pathname} → ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    // The seed wrote straight into the tables, so every hour is marked for the rollup (as after
    // migration 021 on an existing database): the first report waits for whatever the server's
    // catch-up has not rebuilt yet. Timed on its own, not counted below.
    const rebuildStart = Date.now();
    await get(`/api/reports?${range}&by=queue,day`)();
    console.log(`first report after seeding (rollup rebuilt from the rows): ${((Date.now() - rebuildStart) / 1000).toFixed(2)} s`);
    const oneMore = async () => {
      const agent = agents[0]!;
      await seedReportInteractions(server.db, [{ queueId: 'general', createdAt: new Date(end - 60_000 - Math.floor(rnd() * 3_000_000)), agent }]);
    };
    const results = [
      await timeRequests('baseline: COUNT(*) GROUP BY queue, day (database only)', async () => {
        await sql`select queue_id, substr(created_at, 1, 10) as day, count(*) as n from interactions where created_at >= ${new Date(start).toISOString()} and created_at < ${new Date(end).toISOString()} group by queue_id, day`.execute(server.db.kysely);
      }),
      await timeRequests('GET /api/reports by=queue,day (target p99 < 300 ms)', get(`/api/reports?${range}&by=queue,day`)),
      await timeRequests('GET /api/reports by=agent,day', get(`/api/reports?${range}&by=agent,day`)),
      // Live traffic: an interaction closed just before each request, so its hour is rebuilt first.
      await timeRequests('GET /api/reports by=queue,day, one new interaction before each', async () => {
        await oneMore();
        const t = process.hrtime.bigint();
        await get(`/api/reports?${range}&by=queue,day`)();
        return Number(process.hrtime.bigint() - t) / 1e6;
      }),
      await timeRequests('GET /api/reports/anonymous by=queue,hour (target p99 < 1000 ms)', get(`/api/reports/anonymous?${range}&by=queue,hour`)),
    ];
    console.log(`\n${requests} requests each (after one warm-up), ${total} interactions, ${os.cpus().length} cores`);
    for (const r of results) console.log(`  ${r.what.padEnd(68)} p50 ${fmt(r.p50, 1).padStart(8)} ms   p99 ${fmt(r.p99, 1).padStart(8)} ms`);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
