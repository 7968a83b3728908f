/**
 * Cluster benchmark: two real server processes on one PostgreSQL and one Redis (the multi-node
 * mode, server/modules/cluster/), agents and widget customers simulated over the real protocol,
 * chat messages both ways at a fixed rate; the routing-lease holder is killed mid-run.
 *
 *   npm run bench:cluster [-- --agents 500 --customers 2000 --rate 1000 --seconds 60 --kill-at 30]
 *   npm run bench:cluster -- --agents 50 --customers 200 --rate 100 --seconds 20   (a quick try)
 *
 * Needs PostgreSQL (VEILDESK_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and Redis (VEILDESK_TEST_REDIS_URL, default redis://127.0.0.1:6379): a fresh database and a Redis
 * prefix of its own, both removed at the end.
 *
 * Prints: messages sent, delivered exactly once, lost, duplicated (bench/cluster/ledger.ts); latency
 * p50/p99 for same-node and cross-node delivery before the kill, and their ratio; the takeover time
 * of the lease and the clients' reconnect times p50/p99 after the kill; latency after recovery;
 * latency per 5 s window of sending (when a stall happened); the load average and each node's CPU. `--kill-at 0` runs without a kill. Exits 1 when a message was
 * lost or duplicated (or the run failed), else 0 whatever the latency.
 */
import os from 'node:os';
import { cliOptions } from '../lib/cli';
import { fmt } from '../lib/stats';
import { processCpuMs } from '../chat/process-cpu';
import { Balancer, type SimParty } from './client';
import { reconnectFigures, routeFigures, timeline, type Dist, type RouteFigures } from './figures';
import { Ledger } from './ledger';
import { startCluster, type Cluster } from './nodes';
import { populate, type Population } from './population';

const arg = cliOptions();
const AGENTS = Number(arg('agents', '500'));
const CUSTOMERS = Number(arg('customers', '2000'));
const RATE = Number(arg('rate', '1000'));
const SECONDS = Number(arg('seconds', '60'));
const KILL_AT = Number(arg('kill-at', String(SECONDS / 2)));
const DRAIN_SECONDS = Number(arg('drain-seconds', '30'));
const CAPACITY = Number(arg('capacity', String(Math.min(20, Math.max(1, Math.ceil(CUSTOMERS / AGENTS))))));
/** Latency windows leave out the first second (connections settling) and the last second before the kill. */
const MARGIN_MS = 1_000;

const log = (line: string) => process.stdout.write(`  ${line}\n`);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface KillRecord {
  at: number;
  node: string;
  takeoverMs: number | null;
  newHolder: string | null;
  allBackAt: number | null;
}

/** Sends RATE messages per second for SECONDS, round-robin over the chats, each from the customer or the agent at random. */
async function drive(pop: Population, onSecond: (second: number) => Promise<void> | void): Promise<{ start: number; end: number }> {
  let seq = 0;
  let next = 0;
  let second = 0;
  const tick = 10;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // By the clock, not by ticks: a late tick (this process busy) sends what is due.
      const due = Math.min(RATE * SECONDS, Math.floor((RATE * (performance.now() - start)) / 1000));
      while (seq < due) {
        const chat = pop.chats[next]!;
        next = (next + 1) % pop.chats.length;
        const sender: SimParty = Math.random() < 0.5 || !chat.agent ? chat.customer : chat.agent;
        sender.type(chat.interactionId, `m${(seq++).toString(36)}`);
      }
      const elapsed = performance.now() - start;
      if (Math.floor(elapsed / 1000) > second) {
        second = Math.floor(elapsed / 1000);
        void onSecond(second);
      }
      if (elapsed >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, tick);
  });
  return { start, end: performance.now() };
}

/** Kills the lease holder (SIGKILL) and follows the takeover and the clients coming back, in the background. */
async function killHolder(cluster: Cluster, balancer: Balancer, pop: Population): Promise<KillRecord> {
  const before = await cluster.lease();
  const index = Math.max(0, cluster.nodes.findIndex((n) => n.id === before?.nodeId));
  const victim = cluster.nodes[index]!;
  const record: KillRecord = { at: performance.now(), node: victim.id, takeoverMs: null, newHolder: null, allBackAt: null };
  balancer.markDead(index);
  victim.server.process.kill('SIGKILL');
  log(`killed ${victim.id} (the lease holder, token ${before?.token ?? '?'}) at ${((record.at - runStart) / 1000).toFixed(1)} s`);
  void (async () => {
    for (let i = 0; i < 600 && record.takeoverMs === null; i++) {
      const l = await cluster.lease().catch(() => null);
      if (l && l.nodeId !== victim.id) {
        record.takeoverMs = performance.now() - record.at;
        record.newHolder = l.nodeId;
        log(`lease taken over by ${l.nodeId} (token ${l.token}) ${fmt(record.takeoverMs, 0)} ms after the kill`);
      } else await sleep(25);
    }
    const parties = [...pop.agents, ...pop.customers];
    while (record.allBackAt === null && performance.now() - record.at < 120_000) {
      if (parties.every((p) => p.node !== null && p.node !== victim.id)) {
        record.allBackAt = performance.now();
        log(`every client connected again ${fmt(record.allBackAt - record.at, 0)} ms after the kill`);
      } else await sleep(25);
    }
  })();
  return record;
}

let runStart = 0;

function distLine(name: string, d: Dist, unit = 'messages'): string {
  return `${name.padEnd(24)} p50 ${fmt(d.p50).padStart(8)} ms  p99 ${fmt(d.p99).padStart(8)} ms  max ${fmt(d.max).padStart(8)} ms  (${d.n} ${unit})`;
}

function printRoutes(title: string, r: RouteFigures, holder: string): void {
  log(title);
  log(`  ${distLine('same node', r.same)}`);
  log(`  ${distLine('cross node', r.cross)}`);
  for (const [pair, d] of r.pairs) log(`    ${distLine(pair.replaceAll(holder, `${holder}*`), d)}`);
  log(`  ratio cross / same p99: ${Number.isFinite(r.ratioP99) ? r.ratioP99.toFixed(2) : 'n/a'}`);
}

async function main(): Promise<void> {
  process.stdout.write(
    `bench/cluster: 2 nodes, ${AGENTS} agents (capacity ${CAPACITY}), ${CUSTOMERS} customers, ${RATE} msg/s for ${SECONDS} s, ` +
      `${KILL_AT > 0 ? `lease holder killed at ${KILL_AT} s` : 'no kill'}; ${os.cpus().length} CPUs, load average ${load()}\n`,
  );
  if (CUSTOMERS > AGENTS * CAPACITY) throw new Error(`${CUSTOMERS} customers need more than ${AGENTS} agents × capacity ${CAPACITY}`);
  const cluster = await startCluster({ nodes: 2, agents: AGENTS, chatCapacity: CAPACITY, log });
  let pop: Population | undefined;
  try {
    const holder = (await cluster.lease())?.nodeId ?? '?';
    log(`routing lease held by ${holder} (marked * below)`);
    const balancer = new Balancer(cluster.nodes.map((n) => ({ id: n.id, url: n.url })));
    const ledger = new Ledger();
    pop = await populate({ nodes: cluster.nodes, balancer, agents: AGENTS, customers: CUSTOMERS, ledger, log });
    const p = pop;
    const sameChats = p.chats.filter((c) => c.agent?.node === c.customer.node).length;
    log(`chats with both parties on one node: ${sameChats}, across nodes: ${p.chats.length - sameChats}`);

    const cpuBefore = cluster.nodes.map((n) => processCpuMs(n.server.process.pid));
    // Sampled every second: a killed node's last sample is its CPU until its death.
    const cpuAfter = [...cpuBefore];
    const sampleCpu = () => cluster.nodes.forEach((n, i) => (cpuAfter[i] = processCpuMs(n.server.process.pid) ?? cpuAfter[i] ?? null));
    const loadBefore = load();
    const benchCpuBefore = process.cpuUsage();
    let kill: KillRecord | null = null;
    runStart = performance.now();
    const { start, end } = await drive(p, async (second) => {
      sampleCpu();
      if (KILL_AT > 0 && second === KILL_AT && !kill) kill = await killHolder(cluster, balancer, p);
      if (second % 5 === 0) {
        const connected = [...p.agents, ...p.customers].filter((x) => x.node !== null).length;
        log(`${second} s: ${ledger.sentCount} sent, ${ledger.outstanding()} not yet settled, ${connected} clients connected, load ${load()}`);
      }
    });
    sampleCpu();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    log(`load stopped after ${((end - start) / 1000).toFixed(1)} s (${ledger.sentCount} messages, ${(ledger.sentCount / ((end - start) / 1000)).toFixed(0)}/s); draining (up to ${DRAIN_SECONDS} s)`);
    const drainUntil = performance.now() + DRAIN_SECONDS * 1000;
    while (!ledger.settled() && performance.now() < drainUntil) await sleep(100);
    const loadAfter = load();

    const s = ledger.summary();
    const parties = [...p.agents, ...p.customers];
    const offline = parties.filter((x) => x.node === null);
    const stuck = offline.reduce((n, x) => n + x.pending, 0);
    const k = kill as KillRecord | null;
    process.stdout.write('\n');
    log(`messages: ${s.sent} sent, ${s.delivered} delivered exactly once, ${s.lost} lost, ${s.duplicated} duplicated` +
      ` (${s.historyOnly} of the delivered seen only in the history handed back on reconnect; ${s.repeatedFrames} frames repeated; ${s.unknown} unknown; ${s.unacked} never acknowledged to their sender; at most ${s.maxAttempts} sends of one message)`);
    if (offline.length) {
      const offlineAgents = offline.filter((x) => x.kind === 'agent').length;
      log(`NOT SETTLED: ${offline.length} clients (${offlineAgents} agents, ${offline.length - offlineAgents} customers) were still not connected at the end; ${stuck} of the lost messages still wait in their outboxes (not delivered within the drain; the apps would go on trying)`);
    }
    if (s.lostIds.length) log(`lost: ${s.lostIds.slice(0, 10).join(' ')}${s.lostIds.length > 10 ? ' …' : ''}`);
    if (s.duplicatedIds.length) log(`duplicated: ${s.duplicatedIds.slice(0, 10).join(' ')}`);
    const steadyEnd = k ? k.at - MARGIN_MS : end;
    const pre = routeFigures(s.latencies, start + MARGIN_MS, steadyEnd);
    printRoutes(`latency, first send → first live copy at the recipient, messages sent ${k ? 'before the kill' : 'during the run'} (${MARGIN_MS / 1000} s margins):`, pre, holder);
    log(`  targets: cross-node p99 ≤ 2 × same-node → ${pre.ratioP99 <= 2 ? 'met' : 'NOT met'}; cross-node p99 < 50 ms → ${pre.cross.p99 < 50 ? 'met' : 'NOT met'}`);
    if (k) {
      const r = reconnectFigures([...p.agents, ...p.customers], k.at);
      log(`kill: ${k.node} (lease holder) killed; lease takeover ${k.takeoverMs === null ? 'NOT seen' : `${fmt(k.takeoverMs, 0)} ms`} by ${k.newHolder ?? '?'}; ` +
        `${r.back} of ${r.dropped} dropped clients connected again${k.allBackAt ? `, the last ${fmt(k.allBackAt - k.at, 0)} ms after the kill` : ''}`);
      log(`  ${distLine('reconnect, from the kill', r.fromKill, 'clients')}`);
      log(`  ${distLine('reconnect, from own drop', r.fromDrop, 'clients')}`);
      const during = s.latencies.filter((x) => x.sentAt >= k.at - MARGIN_MS && x.sentAt < (k.allBackAt ?? end));
      log(`  messages sent from 1 s before the kill until every client was back: ${during.length} delivered live, slowest ${fmt(Math.max(0, ...during.map((x) => x.ms)), 0)} ms`);
      const recovered = k.allBackAt ? routeFigures(s.latencies, k.allBackAt + MARGIN_MS, end) : null;
      if (recovered && recovered.same.n + recovered.cross.n > 0) printRoutes('latency after recovery (one node left: all same-node):', recovered, k.newHolder ?? '?');
    }
    log('latency by when the message was first sent (5 s windows, all routes; history-only deliveries not counted):');
    for (const w of timeline(s.latencies, start, end, 5000)) log(`  ${distLine(`${w.fromMs / 1000}–${w.fromMs / 1000 + 5} s`, w.latency, 'messages')}`);
    const errors = new Map<string, number>();
    for (const party of [...p.agents, ...p.customers]) for (const [code, n] of party.errors) errors.set(code, (errors.get(code) ?? 0) + n);
    if (errors.size) log(`error frames received: ${[...errors].map(([c, n]) => `${c} ×${n}`).join(', ')}`);
    const ends = new Map<string, number>();
    for (const party of [...p.agents, ...p.customers]) for (const [why, n] of party.socketEnds) ends.set(why, (ends.get(why) ?? 0) + n);
    if (ends.size) log(`sockets ended (all parties, whole run): ${[...ends].sort((x, y) => y[1] - x[1]).map(([why, n]) => `${why} ×${n}`).join('; ')}`);
    if (p.fatal.length) log(`fatal closes: ${p.fatal.length} (${p.fatal[0]})`);
    const cpu = cluster.nodes.map((n, i) => {
      const b = cpuBefore[i];
      const a = cpuAfter[i];
      return `${n.id} ${b == null || a == null ? 'n/a' : `${((a - b) / 1000).toFixed(1)} s`}`;
    });
    log(`CPU during the load (a killed node: until its death): ${cpu.join(', ')}; the bench's own clients ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s`);
    log(`conditions: ${os.cpus().length} CPUs, load average ${loadBefore} before the load, ${loadAfter} after`);
    // A node that died on its own (not the one killed), e.g. fail-stop (exit 75) after missing a lease renewal.
    for (const n of cluster.nodes) {
      const { exitCode, signalCode } = n.server.process;
      if (n.id === k?.node || (exitCode === null && signalCode === null)) continue;
      log(`${n.id} EXITED (code ${exitCode ?? '-'}, signal ${signalCode ?? '-'}) during the run; its last lines:\n${n.server.output().trim().split('\n').slice(-15).join('\n')}`);
    }
    if (offline.length)
      for (const n of cluster.nodes) if (n.server.process.exitCode === null && n.server.process.signalCode === null) log(`${n.id} output, last lines:\n${n.server.output().trim().split('\n').slice(-15).join('\n')}`);
    if (s.lost || s.duplicated || s.unknown) process.exitCode = 1;
  } finally {
    pop?.close();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/cluster failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
