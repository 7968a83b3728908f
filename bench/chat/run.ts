/**
 * Chat delivery benchmark: 200 concurrent chats through a real Veildesk server process, against a
 * bare ws relay (bench/chat/echo-server.ts) measured in the same run with the same connections and
 * load.
 *
 *   npm run bench:chat [-- --chats 200 --rate 1000 --seconds 10]
 *   BENCH_RELAY_CPUS=0 taskset -c 1 npm run bench:chat   (pinned)
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:chat   (profile)
 *
 * Phase 1, fixed load: customers send `rate` messages per second in total; latency is the time
 * from a customer's chat.send to the agent's chat.message (p50/p99). Phase 2, saturation: every
 * chat keeps 8 messages in flight; delivered messages per second. Both phases also run against the
 * baseline; the ratios are Veildesk / baseline.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { QueuesRepo } from '../../server/modules/interactions/queues-repo';
import { UsersRepo } from '../../server/modules/users/users-repo';
import { REDACTION_ENTITIES } from '../../shared/redaction';
import { PROTOCOL_VERSION } from '../../shared/version';
import { startTestServer } from '../../test/support/server';
import { fmt, percentile } from '../lib/stats';
import { processCpuMs } from './process-cpu';

const { values } = parseArgs({ options: { chats: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' }, timeline: { type: 'boolean' }, redaction: { type: 'boolean' } } });
/**
 * --redaction: every message carries a realistic sentence after its id (digits included, so the
 * redactor has work), and a second Veildesk server with every redaction entity off runs the same
 * load: the p99 and throughput with redaction on against off, in the same run.
 */
const REDACTION = values.redaction === true;
const FILLER = ' I was charged twice for order 20231204 on my card, please check invoice 4471 and call me back after 5pm, thanks a lot';
const CHATS = Number(values.chats ?? 200);
const RATE = Number(values.rate ?? 1000);
const SECONDS = Number(values.seconds ?? 10);
const CAPACITY = 3;
const AGENTS = Math.ceil(CHATS / CAPACITY) + 2;
const IN_FLIGHT = 8;
const SATURATION_SECONDS = 5;
/**
 * The server's settings for the load: its abuse limits are raised (they still run on every frame)
 * so that they do not cap what is measured: one address opens all the sockets, a saturated chat
 * sends faster than a person could.
 */
const SERVER_ENV = {
  LOG_LEVEL: 'warn',
  VEILDESK_CHAT_CAPACITY: String(CAPACITY),
  VEILDESK_WIDGET_STARTS_PER_MINUTE: '10000',
  VEILDESK_WS_SOCKETS_PER_ADDRESS: String(AGENTS + CHATS + 10),
  VEILDESK_WS_MESSAGES_PER_SECOND: '10000',
  VEILDESK_WS_MESSAGE_BURST: '100000',
  VEILDESK_WS_PRINCIPAL_MESSAGES_PER_SECOND: '10000',
  VEILDESK_WS_PRINCIPAL_MESSAGE_BURST: '100000',
};

interface Link {
  send(text: string): void;
  /** Registers the receiver of messages sent through this link. */
  onDelivered(cb: (text: string) => void): void;
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  fixedRate: number;
  saturatedRate: number;
  /** CPU ms the relaying process used per delivered message, per phase (null without /proc). */
  fixedCpuMsPerMsg: number | null;
  saturatedCpuMsPerMsg: number | null;
}

/** Runs both phases over a set of links and returns the figures; `pid` is the relaying process. */
async function measure(links: Link[], pid: number | undefined): Promise<Figures> {
  const cpuPerMsg = (cpuBefore: number | null, count: number) => {
    const after = processCpuMs(pid);
    return cpuBefore === null || after === null || count === 0 ? null : (after - cpuBefore) / count;
  };
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sentTimes: number[] = []; // send time of each latency sample, for the per-second timeline
  let delivered = 0;
  let inFlight = new Array<number>(links.length).fill(0);
  let saturating = false;
  let draining = false; // after saturation: messages still in flight are neither timed nor re-sent
  let seq = 0;
  const sendOne = (i: number) => {
    const id = `m${seq++}`;
    sentAt.set(id, performance.now());
    inFlight[i]! += 1;
    links[i]!.send(id);
  };
  links.forEach((link, i) =>
    link.onDelivered((id) => {
      const t = sentAt.get(id);
      if (t === undefined) return;
      sentAt.delete(id);
      inFlight[i]! -= 1;
      delivered += 1;
      if (draining) return;
      if (!saturating) {
        latencies.push(performance.now() - t);
        sentTimes.push(t);
      }
      else sendOne(i);
    }),
  );

  // Phase 1: fixed rate, spread evenly over the chats.
  const interval = 5; // ms between bursts
  const perBurst = (RATE * interval) / 1000;
  let carry = 0;
  let next = 0;
  const fixedCpu = processCpuMs(pid);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      carry += perBurst;
      while (carry >= 1) {
        sendOne(next);
        next = (next + 1) % links.length;
        carry -= 1;
      }
      if (performance.now() - start >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, interval);
  });
  await waitFor(() => sentAt.size === 0, 10_000);
  const fixedRate = delivered / ((performance.now() - start) / 1000);
  const fixedCpuMsPerMsg = cpuPerMsg(fixedCpu, delivered);
  const lost = sentAt.size;

  // Phase 2: saturation.
  saturating = true;
  inFlight = new Array<number>(links.length).fill(0);
  const before = delivered;
  const satCpu = processCpuMs(pid);
  const satStart = performance.now();
  for (let i = 0; i < links.length; i++) for (let k = 0; k < IN_FLIGHT; k++) sendOne(i);
  await new Promise((r) => setTimeout(r, SATURATION_SECONDS * 1000));
  const saturatedRate = (delivered - before) / ((performance.now() - satStart) / 1000);
  const saturatedCpuMsPerMsg = cpuPerMsg(satCpu, delivered - before);
  draining = true;
  await waitFor(() => sentAt.size === 0, 30_000);
  if (values.timeline) printTimeline(latencies, sentTimes, start);
  if (lost) process.stdout.write(`  warning: ${lost} messages of the fixed phase were not delivered in time\n`);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    delivered: latencies.length,
    fixedRate,
    saturatedRate,
    fixedCpuMsPerMsg,
    saturatedCpuMsPerMsg,
  };
}

/** Per second of the fixed phase: p50 / p99 / max latency of the messages sent in that second. */
function printTimeline(latencies: number[], sentTimes: number[], start: number): void {
  const buckets = new Map<number, number[]>();
  latencies.forEach((l, i) => {
    const second = Math.floor((sentTimes[i]! - start) / 1000);
    buckets.set(second, [...(buckets.get(second) ?? []), l]);
  });
  for (const [second, ls] of [...buckets].sort((a, b) => a[0] - b[0]))
    process.stdout.write(`    second ${String(second).padStart(2)}: p50 ${fmt(percentile(ls, 50))} ms  p99 ${fmt(percentile(ls, 99))} ms  max ${fmt(percentile(ls, 100))} ms  (${ls.length})\n`);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** A data dir with enough agents (all in one queue) for CHATS chats at capacity 3. */
async function prepareDataDir(redactionOn = true): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'veildesk-bench-chat-'));
  const server = await createServer({ ...loadConfig({ VEILDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), port: 0 });
  const users = new UsersRepo(server.db);
  const memberIds: string[] = [];
  for (let i = 1; i <= AGENTS; i++) memberIds.push((await users.create({ username: `bench${i}`, displayName: `Bench ${i}`, role: 'agent', password: 'bench' })).id);
  await new QueuesRepo(server.db).upsert({ id: 'bench', name: 'Bench', dispositions: ['Done'], offerTimeoutMs: 15_000, memberIds });
  if (!redactionOn) {
    const off = { entities: Object.fromEntries(REDACTION_ENTITIES.map((e) => [e, false])), orgPatterns: [] };
    await server.db.kysely.insertInto('redaction_policy').values({ singleton: 1, policy: JSON.stringify(off), updated_at: new Date().toISOString(), updated_by: null }).execute();
  }
  await server.close();
  return dataDir;
}

async function veildeskLinks(url: string): Promise<{ links: Link[]; close(): void }> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
  const sockets: WebSocket[] = [];
  const receivers = new Map<string, (text: string) => void>(); // interactionId → delivery callback
  // Agents: sign in, connect, accept every offer, report every customer message.
  for (let i = 1; i <= AGENTS; i++) {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `bench${i}`, password: 'bench' }) });
    const { token } = (await res.json()) as { token: string };
    const ws = await open(wsUrl);
    sockets.push(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string; interaction?: { id: string }; interactionId?: string; message?: { from: string; text: string } };
      if (msg.type === 'offer' && msg.interaction) ws.send(JSON.stringify({ type: 'offer.accept', interactionId: msg.interaction.id }));
      if (msg.type === 'chat.message' && msg.message?.from === 'customer' && msg.interactionId) receivers.get(msg.interactionId)?.(msg.message.text.split(' ', 1)[0]!);
    });
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token }));
  }
  // Customers: start a chat each and wait until it is answered.
  const links: Link[] = [];
  let connected = 0;
  for (let i = 0; i < CHATS; i++) {
    const res = await fetch(`${url}/api/widget/interactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'chat', queueId: 'bench', customer: { name: `Customer ${i}` } }) });
    if (!res.ok) throw new Error(`start chat: ${res.status} ${await res.text()}`);
    const { interactionId, customerToken } = (await res.json()) as { interactionId: string; customerToken: string };
    const ws = await open(wsUrl);
    sockets.push(ws);
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string; state?: string };
      if (msg.type === 'customer.state' && msg.state === 'connected') connected += 1;
    });
    ws.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token: customerToken }));
    let n = 0;
    links.push({
      send: (text) => ws.send(JSON.stringify({ type: 'chat.send', interactionId, clientMsgId: `${text}-${n++}`, text: REDACTION ? text + FILLER : text })),
      onDelivered: (cb) => receivers.set(interactionId, cb),
    });
  }
  await waitFor(() => connected >= CHATS, 60_000);
  if (connected < CHATS) throw new Error(`only ${connected} of ${CHATS} chats were answered`);
  return { links, close: () => sockets.forEach((s) => s.terminate()) };
}

async function echoLinks(port: number): Promise<{ links: Link[]; close(): void }> {
  const sockets: WebSocket[] = [];
  const links: Link[] = [];
  for (let i = 0; i < CHATS; i++) {
    const customer = await open(`ws://127.0.0.1:${port}/?name=c${i}`);
    const agent = await open(`ws://127.0.0.1:${port}/?name=a${i}`);
    sockets.push(customer, agent);
    let deliver: (text: string) => void = () => undefined;
    agent.on('message', (data) => deliver((JSON.parse(data.toString()) as { text: string }).text));
    links.push({ send: (text) => customer.send(JSON.stringify({ to: `a${i}`, text })), onDelivered: (cb) => (deliver = cb) });
  }
  return { links, close: () => sockets.forEach((s) => s.terminate()) };
}

async function main(): Promise<void> {
  process.stdout.write(`bench/chat: ${CHATS} chats, ${AGENTS} agents, ${RATE} msg/s for ${SECONDS} s, then ${IN_FLIGHT} in flight per chat for ${SATURATION_SECONDS} s\n`);
  const dataDir = await prepareDataDir();
  const server = await startTestServer({ dataDir, env: SERVER_ENV, nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) });
  const echo = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'echo-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const echoPort = await new Promise<number>((resolve) => echo.stdout.on('data', (d: Buffer) => {
      const m = /echo listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    }));

    const pinned = pinRelays([server.process.pid, echo.pid]);
    const loadBefore = os.loadavg();
    const v = await veildeskLinks(server.url);
    const veildesk = await measure(v.links, server.process.pid);
    v.close();
    const e = await echoLinks(echoPort);
    const baseline = await measure(e.links, echo.pid);
    e.close();
    const loadAfter = os.loadavg();
    process.stdout.write(report(veildesk, baseline, loadBefore, loadAfter, pinned));
    if (REDACTION) await compareRedactionOff(veildesk);
  } finally {
    echo.kill();
    await server.stop();
  }
}

/** The same load against a server with every redaction entity off: what redaction adds to p99 and throughput. */
async function compareRedactionOff(on: Figures): Promise<void> {
  const server = await startTestServer({ dataDir: await prepareDataDir(false), env: SERVER_ENV });
  try {
    pinRelays([server.process.pid]);
    const v = await veildeskLinks(server.url);
    const off = await measure(v.links, server.process.pid);
    v.close();
    const p99Ratio = on.p99 / off.p99;
    process.stdout.write(
      `  redaction on vs off (same messages, ${FILLER.length + 6} characters): p99 ${fmt(on.p99)} vs ${fmt(off.p99)} ms (ratio ${p99Ratio.toFixed(2)}); ` +
        `saturated ${on.saturatedRate.toFixed(0)} vs ${off.saturatedRate.toFixed(0)} msg/s (ratio ${(on.saturatedRate / off.saturatedRate).toFixed(2)})\n` +
        `  target: p99 with redaction within 10 % of without → ${p99Ratio <= 1.1 ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    await server.stop();
  }
}

/**
 * BENCH_RELAY_CPUS=0 pins the Veildesk server and the bare relay (all their threads) to those CPUs
 * with taskset, so both relay under the same conditions; run this process elsewhere, e.g.
 * `taskset -c 1 npm run bench:chat`. Returns the CPU list, or null.
 */
function pinRelays(pids: (number | undefined)[]): string | null {
  const cpus = process.env.BENCH_RELAY_CPUS;
  if (!cpus) return null;
  for (const pid of pids) if (pid !== undefined) execFileSync('taskset', ['-a', '-pc', cpus, String(pid)], { stdio: 'ignore' });
  return cpus;
}

/** The CPUs this process may run on, as taskset lists them. */
function ownAffinity(): string {
  return /:\s*(\S+)\s*$/.exec(execFileSync('taskset', ['-pc', String(process.pid)]).toString())?.[1] ?? '?';
}

/** The figures side by side, the ratios to the bare relay, the targets and the conditions. */
function report(veildesk: Figures, baseline: Figures, loadBefore: number[], loadAfter: number[], pinned: string | null): string {
  const cpu = (ms: number | null) => (ms === null ? 'n/a' : ms.toFixed(3));
  const row = (name: string, r: Figures) =>
    `  ${name.padEnd(10)} p50 ${fmt(r.p50).padStart(8)} ms  p99 ${fmt(r.p99).padStart(8)} ms  max ${fmt(r.max).padStart(8)} ms` +
    `  | fixed load ${r.fixedRate.toFixed(0).padStart(5)} msg/s, ${cpu(r.fixedCpuMsPerMsg)} CPU ms/msg` +
    `  | saturated ${r.saturatedRate.toFixed(0).padStart(5)} msg/s, ${cpu(r.saturatedCpuMsPerMsg)} CPU ms/msg\n`;
  const fixedRatio = veildesk.fixedRate / baseline.fixedRate;
  const saturatedRatio = veildesk.saturatedRate / baseline.saturatedRate;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const affinity = pinned ? `, server and bare relay pinned to CPU ${pinned} (customers and agents: CPU ${ownAffinity()})` : '';
  return (
    row('veildesk', veildesk) +
    row('bare relay', baseline) +
    `  ratio veildesk / bare relay: saturated throughput ${saturatedRatio.toFixed(2)} (what each can deliver at most); ` +
    `fixed-load throughput ${fixedRatio.toFixed(2)} (1.00 = kept up with the offered load)\n` +
    `  targets: p99 < 20 ms → ${veildesk.p99 < 20 ? 'met' : 'NOT met'}; ` +
    `throughput ≥ 0.5 of the bare relay → saturated ${saturatedRatio >= 0.5 ? 'met' : 'NOT met'}, fixed load ${fixedRatio >= 0.5 ? 'met' : 'NOT met'}\n` +
    `  conditions: ${os.cpus().length} CPUs, load average ${load(loadBefore)} before, ${load(loadAfter)} after${affinity}\n`
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/chat failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
