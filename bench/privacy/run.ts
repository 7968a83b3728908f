import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreatePrivacyRequestResponse, PrivacyRequest, SubjectSearchResponse } from '../../shared/api/privacy';
import { startInProcess } from '../../test/support/in-process';
import { cliOptions } from '../lib/cli';
import { fmt, percentile } from '../lib/stats';
import { SUBJECT, seedPrivacyBench } from './seed';

/**
 * `npm run bench:privacy`: a person's search, export and erase through a real in-process server
 * (SQLite), each against a baseline measured in the same run on the same data:
 * - population: `--others` interactions of other customers (default 10,000, 3 messages each), the
 *   subject's `--subject` interactions (default 1,000) with `--messages` messages (default 10,000)
 *   and `--recordings` recordings of `--seconds` s each (default 100 × 60 s, real WebM/Opus);
 * - search by e-mail as privacy1, `--searches` times: p50/p99 (target < 200 ms); baseline: the one
 *   indexed SELECT of the subject's interaction ids;
 * - export request until completed: time, archive MB/s and peak RSS growth while it runs (target
 *   < 100 MB: it streams); baseline: copying the same recordings' bytes file to file;
 * - erase request until completed (target < 10 s); baseline: one DELETE of as many messages of
 *   other customers plus unlinking as many files.
 */
const arg = cliOptions();
const others = Number(arg('others', '10000'));
const subject = Number(arg('subject', '1000'));
const messages = Number(arg('messages', '10000'));
const recordings = Number(arg('recordings', '100'));
const seconds = Number(arg('seconds', '60'));
const searches = Number(arg('searches', '20'));

async function json(url: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

async function login(url: string, username: string): Promise<{ token: string; user: { id: string; displayName: string } }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  return (await res.json()) as { token: string; user: { id: string; displayName: string } };
}

function webm(sec: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${sec}:sample_rate=48000`, '-ac', '2', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', 'pipe:1'], { maxBuffer: 256 * 1024 * 1024 });
}

/** Runs a request to its end, polling as the app does; answers the record and the wall time. */
async function runRequest(url: string, token: string, body: unknown, during?: () => void): Promise<{ request: PrivacyRequest; ms: number }> {
  const t = performance.now();
  const created = CreatePrivacyRequestResponse.parse((await json(`${url}/api/privacy/requests`, token, { method: 'POST', body })).body);
  for (;;) {
    during?.();
    const request = PrivacyRequest.parse((await json(`${url}/api/privacy/requests/${created.id}`, token)).body);
    if (request.status === 'completed' || request.status === 'failed') return { request, ms: performance.now() - t };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const server = await startInProcess();
try {
  const agent = await login(server.url, 'agent1');
  const seedStart = performance.now();
  const data = await seedPrivacyBench(
    server.db,
    server.dataDir,
    { agentId: agent.user.id, agentName: 'agent1', queueId: 'general', others, subject, messages, recordings, webm: webm(seconds) },
    (what) => console.log(`seeding ${what}…`),
  );
  await server.db.scrub();
  console.log(`seeded in ${fmt(performance.now() - seedStart, 0)} ms; recordings ${(data.recordingBytes / 2 / 1e6).toFixed(1)} MB (assembled files)`);
  const officer = await login(server.url, 'privacy1');

  // ---- search
  const baseline: number[] = [];
  const times: number[] = [];
  let matches = 0;
  for (let i = 0; i < searches; i++) {
    let t = performance.now();
    await server.db.kysely.selectFrom('interactions').select('id').where('customer_email', '=', SUBJECT.email).execute();
    baseline.push(performance.now() - t);
    t = performance.now();
    const res = await json(`${server.url}/api/privacy/subjects?email=${encodeURIComponent(SUBJECT.email)}`, officer.token);
    times.push(performance.now() - t);
    matches = SubjectSearchResponse.parse(res.body).matches.length;
  }
  const p99 = percentile(times, 99);
  console.log(
    `search: ${matches} matches; p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(p99)} ms (target < 200 ms: ${p99 < 200 ? 'met' : 'NOT met'}); ` +
      `baseline SELECT p50 ${fmt(percentile(baseline, 50))} ms; ratio p50 ${fmt(percentile(times, 50) / percentile(baseline, 50), 1)}×`,
  );

  // ---- export
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-bench-copy-'));
  let t = performance.now();
  for (const id of data.recordingIds) fs.copyFileSync(path.join(server.dataDir, 'recordings', `${id}.webm`), path.join(copyDir, `${id}.webm`));
  const copyMs = performance.now() - t;
  fs.rmSync(copyDir, { recursive: true, force: true });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
  const exported = await runRequest(server.url, officer.token, { type: 'export', subject: { email: SUBJECT.email } }, () => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)));
  clearInterval(sampler);
  const zipBytes = fs.statSync(path.join(server.dataDir, 'privacy-exports', `${exported.request.id}.zip`)).size;
  const growthMb = (rssPeak - rssBefore) / 1e6;
  const mbps = zipBytes / 1e6 / (exported.ms / 1000);
  const copyMbps = data.recordingBytes / 2 / 1e6 / (copyMs / 1000);
  console.log(
    `export: ${exported.request.status} in ${fmt(exported.ms, 0)} ms, ${(zipBytes / 1e6).toFixed(1)} MB zip, ${fmt(mbps, 1)} MB/s; peak RSS growth ${fmt(growthMb, 1)} MB ` +
      `(target < 100 MB: ${growthMb < 100 ? 'met' : 'NOT met'}); baseline file copy ${fmt(copyMbps, 1)} MB/s; ratio ${fmt(mbps / copyMbps, 2)}×`,
  );

  // ---- erase, and its baseline on other customers' rows and scratch files
  const erased = await runRequest(server.url, officer.token, { type: 'erase', subject: { email: SUBJECT.email }, confirm: true });
  const stores = erased.request.stores.filter((s) => s.done > 0).map((s) => `${s.store} ${s.done}`).join(', ');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-bench-files-'));
  for (let i = 0; i < data.recordingIds.length * 2; i++) fs.writeFileSync(path.join(scratch, String(i)), 'x');
  t = performance.now();
  const victims = data.otherInteractionIds.slice(0, Math.ceil(messages / 3));
  for (let i = 0; i < victims.length; i += 500) await server.db.kysely.deleteFrom('messages').where('interaction_id', 'in', victims.slice(i, i + 500)).execute();
  for (const f of fs.readdirSync(scratch)) fs.unlinkSync(path.join(scratch, f));
  const baseMs = performance.now() - t;
  fs.rmSync(scratch, { recursive: true, force: true });
  console.log(
    `erase: ${erased.request.status} in ${fmt(erased.ms, 0)} ms (server ${erased.request.tookMs} ms; target < 10 s: ${erased.ms < 10_000 ? 'met' : 'NOT met'}): ${stores}; ` +
      `baseline bare DELETE + unlink ${fmt(baseMs, 0)} ms; ratio ${fmt(erased.ms / baseMs, 1)}×`,
  );
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores`);
} finally {
  await server.close();
}
