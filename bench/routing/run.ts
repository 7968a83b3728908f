/**
 * Routing engine benchmark: offer-decision latency at contact-center scale.
 *
 *   npx tsx bench/routing/run.ts        (npm run bench:routing)
 *
 * 1,000 agents, each in one of 8 skill queues (125 members) and in "general" (all 1,000), and
 * 10,000 waiting interactions (kept topped up). Every measured call is an engine call that decides
 * an offer: an agent becoming available, an accept followed by the next offer, a release, a decline,
 * an agent going away while offered, an offer timing out, an enqueue. Latency is per call, measured
 * with process.hrtime. The same harness times a trivial operation (Array#shift on a copy of the
 * 10,000 waiting items) and a naive linear scan of those items, so the figures read as ratios too.
 * Exits 1 when the p99 of all decisions (wall clock or CPU), or the CPU p99 of any one kind, is
 * over the 5 ms target.
 */
import { cpus, loadavg } from 'node:os';
import { RoutingEngine } from '../../server/modules/routing/routing-engine';
import type { QueueDef, RoutingOutcome, WorkItem, WorkKind } from '../../server/modules/routing/types';

const AGENTS = 1_000;
const SKILLS = 8;
const WAITING = 10_000;
const TARGET_P99_MS = 5;
const T0 = 1_700_000_000_000;

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// ---- measurement -----------------------------------------------------------------------------

const samples = new Map<string, number[]>();
const cpuSamples = new Map<string, number[]>(); // process CPU time of the same calls (µs resolution)
const produced = new Map<string, number>(); // offers made by the measured calls of each kind
let offersMade = 0;

function offersIn(r: unknown): number {
  if (typeof r !== 'object' || r === null) return 0;
  if ('offers' in r && Array.isArray(r.offers)) return r.offers.length;
  if ('outcome' in r) return offersIn(r.outcome);
  return 0;
}

function time<R>(label: string, fn: () => R): R {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const r = fn();
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpu0);
  let list = samples.get(label);
  if (!list) samples.set(label, (list = []));
  list.push(ns / 1e6);
  let cpuList = cpuSamples.get(label);
  if (!cpuList) cpuSamples.set(label, (cpuList = []));
  cpuList.push((cpu.user + cpu.system) / 1e3);
  produced.set(label, (produced.get(label) ?? 0) + offersIn(r));
  return r;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1] ?? NaN };
}

// ---- world -----------------------------------------------------------------------------------

const agentIds = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
const skillIds = Array.from({ length: SKILLS }, (_, i) => `skill-${i}`);
const queues: QueueDef[] = [
  { id: 'general', memberIds: agentIds, offerTimeoutMs: 15_000 },
  ...skillIds.map((id, s) => ({ id, memberIds: agentIds.filter((_, i) => i % SKILLS === s), offerTimeoutMs: 15_000 })),
];

let now = T0;
let seq = 0;
const tick = () => (now += 1);

function newItem(kind?: WorkKind, queueId?: string): WorkItem {
  return {
    id: `int-${++seq}`,
    kind: kind ?? (rand() < 0.8 ? 'chat' : 'call'),
    queueId: queueId ?? (rand() < 0.6 ? 'general' : pick(skillIds)),
    enqueuedAt: now,
  };
}

/** What the caller would know from outcomes: pending offers and assignments. */
const pending = new Map<string, string>(); // agent → interaction
const assigned = new Map<string, string>(); // interaction → agent
function track(out: RoutingOutcome): RoutingOutcome {
  for (const w of out.withdrawn) pending.delete(w.agentId);
  for (const o of out.offers) pending.set(o.agentId, o.interactionId);
  offersMade += out.offers.length;
  return out;
}

function waitingCount(engine: RoutingEngine): number {
  return engine.snapshot().queues.reduce((n, q) => n + q.waiting, 0);
}

function topUp(engine: RoutingEngine): void {
  // Keeps ~10,000 waiting; these enqueues are decisions too (mostly "wait": nobody is eligible).
  while (waitingCount(engine) < WAITING) track(time('enqueue (backlog, all busy)', () => engine.enqueue(newItem(), tick())));
}

function acceptOne(engine: RoutingEngine, agentId: string): void {
  const id = pending.get(agentId);
  if (!id) return;
  pending.delete(agentId);
  const r = time('accept → next offer', () => engine.accept(id, agentId, tick()));
  if (!r.ok) throw new Error(`accept refused: ${r.reason}`);
  assigned.set(id, agentId);
  track(r.outcome);
}

// ---- scenarios -------------------------------------------------------------------------------

const engine = new RoutingEngine({ chatCapacity: 3 }, queues);
for (let i = 0; i < WAITING; i++) engine.enqueue(newItem(), tick());

// 1. Sign-in: each agent becoming available is offered the oldest item of their queues.
for (const id of agentIds) track(time('agent available → offer', () => engine.setAgentStatus(id, { available: true, inWrapup: false }, tick())));

// 2. Accept → next offer until everyone is full (3 chats + 1 call), topping the backlog up.
for (let round = 0; round < 5; round++) {
  for (const id of agentIds) acceptOne(engine, id);
  topUp(engine);
}

// 3. Steady state: releases free capacity and the next item is offered and accepted.
const releaseIds = () => [...assigned.keys()];
for (let i = 0; i < 5_000; i++) {
  const ids = releaseIds();
  const id = pick(ids);
  const agentId = assigned.get(id)!;
  assigned.delete(id);
  track(time('release → next offer', () => engine.release(id, tick())));
  acceptOne(engine, agentId);
  if (i % 100 === 0) topUp(engine);
}
topUp(engine);

// 4. Declines: ~50 agents hold offers; a random one declines. The item goes to the next free agent
//    (none in a saturated center) and the decliner is offered the oldest item they have not declined.
for (let i = 0; i < 3_000; i++) {
  while (pending.size < 50) {
    const id = pick(releaseIds());
    assigned.delete(id);
    track(engine.release(id, tick()));
  }
  const [agentId, id] = pick([...pending]);
  pending.delete(agentId);
  const r = time('decline → re-offer', () => engine.decline(id, agentId, tick()));
  if (!r.ok) throw new Error(`decline refused: ${r.reason}`);
  track(r.outcome);
}
// Worst case of the same rule: one agent declines 1,000 items in a row, so each new offer to them
// skips every item they already turned down (they go back to the head of the queue).
{
  const agentId = pending.keys().next().value ?? pick(agentIds);
  for (let i = 0; i < 1_000; i++) {
    const id = pending.get(agentId);
    if (!id) break;
    pending.delete(agentId);
    const r = time('decline streak (one agent, 1,000 in a row)', () => engine.decline(id, agentId, tick()));
    if (!r.ok) throw new Error(`decline refused: ${r.reason}`);
    track(r.outcome);
  }
}
// Offers still pending are accepted so the next scenarios start from a saturated center.
for (const agentId of [...pending.keys()]) acceptOne(engine, agentId);
topUp(engine);

// 5. Away while offered: a release gives the agent an offer (not measured), going away withdraws it
//    and places it again (nobody else is free in a saturated center, so it mostly waits), coming
//    back offers the agent the oldest item of their queues.
for (let i = 0; i < 2_000; i++) {
  const id = pick(releaseIds());
  const agentId = assigned.get(id)!;
  assigned.delete(id);
  track(engine.release(id, tick()));
  track(time('agent away while offered → withdraw, re-place', () => engine.setAgentStatus(agentId, { available: false, inWrapup: false }, tick())));
  track(time('agent available → offer', () => engine.setAgentStatus(agentId, { available: true, inWrapup: false }, tick())));
  acceptOne(engine, agentId);
}
topUp(engine);

// 6. Timeouts: jump to each deadline; every expired offer is withdrawn and re-offered.
for (let i = 0; i < 2_000; i++) {
  const deadline = engine.nextDeadline();
  if (deadline === null) break;
  now = Math.max(now, deadline);
  const out = track(time('timeout → re-offer (per expireOffers call)', () => engine.expireOffers(now)));
  if (out.withdrawn.length === 0) throw new Error('expected an expiry');
}

// 7. Enqueue → offer with a full 1,000-member scan: calls into "general" while every agent holds
//    3 chats (so the chat backlog waits) and calls are the only work that can be offered.
const engine2 = new RoutingEngine({ chatCapacity: 3 }, [...queues, { id: 'night', memberIds: ['night-agent'], offerTimeoutMs: 15_000 }]);
for (let i = 0; i < WAITING; i++) engine2.enqueue(newItem('chat', 'night'), tick());
for (const id of agentIds) engine2.setAgentStatus(id, { available: true, inWrapup: false }, tick());
for (let i = 0; i < 5_000; i++) {
  const item = newItem('call', 'general');
  const out = time('enqueue → offer (1,000-member scan)', () => engine2.enqueue(item, tick()));
  const offer = out.offers[0];
  if (!offer) throw new Error('expected an offer');
  offersMade++;
  const r = engine2.accept(item.id, offer.agentId, tick());
  if (!r.ok) throw new Error('accept refused');
  engine2.release(item.id, tick()); // free again, idle since now: the next goes elsewhere
}
const waiting2 = waitingCount(engine2);

// ---- baselines on the same data --------------------------------------------------------------

const backlog = Array.from({ length: WAITING }, () => newItem());
for (let round = 0; round < 3; round++) {
  const copy = [...backlog];
  for (let i = 0; i < 3_000; i++) time('baseline: Array#shift of 10,000 items', () => copy.shift());
}
for (let i = 0; i < 3_000; i++) {
  const kind: WorkKind = rand() < 0.5 ? 'chat' : 'call';
  const queueId = pick(skillIds);
  time('baseline: naive scan of 10,000 items', () => {
    let best: WorkItem | undefined;
    for (const it of backlog) if (it.kind === kind && it.queueId === queueId && (!best || it.enqueuedAt < best.enqueuedAt)) best = it;
    return best;
  });
}

// ---- report ----------------------------------------------------------------------------------

const fmt = (ms: number) => ms.toFixed(4).padStart(9);
const shift = stats(samples.get('baseline: Array#shift of 10,000 items') ?? []);
const decisions = [...samples].filter(([k]) => !k.startsWith('baseline'));
const all = stats(decisions.flatMap(([, v]) => v));

console.log(`\nRouting engine: offer-decision latency`);
console.log(`${AGENTS} agents, ${queues.length} queues (general ×${AGENTS} members, ${SKILLS} skills ×${AGENTS / SKILLS}), ~${WAITING} waiting (now ${waitingCount(engine)}; scenario 7: ${waiting2}), ${offersMade} offers made`);
console.log(`Node ${process.version}\n`);
console.log(
  `${'engine call'.padEnd(48)}${'n'.padStart(6)}${'offers'.padStart(8)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'max ms'.padStart(10)}${'cpu p99'.padStart(10)}   p50, p99 ÷ shift`,
);
const row = (label: string, s: ReturnType<typeof stats>, cpu: ReturnType<typeof stats>, offers: string) =>
  console.log(
    `${label.padEnd(48)}${String(s.n).padStart(6)}${offers.padStart(8)} ${fmt(s.p50)} ${fmt(s.p99)} ${fmt(s.max)} ${fmt(cpu.p99)}   ${(s.p50 / shift.p50).toFixed(0).padStart(5)}×, ${(s.p99 / shift.p99).toFixed(0)}×`,
  );
const cpuOf = (label: string) => stats(cpuSamples.get(label) ?? []);
for (const [label, v] of decisions) row(label, stats(v), cpuOf(label), String(produced.get(label) ?? 0));
console.log('-'.repeat(48 + 6 + 8 + 40 + 22));
const allCpu = stats(decisions.flatMap(([k]) => cpuSamples.get(k) ?? []));
row('ALL offer decisions', all, allCpu, String(decisions.reduce((n, [k]) => n + (produced.get(k) ?? 0), 0)));
for (const [label, v] of samples) if (label.startsWith('baseline')) row(label, stats(v), cpuOf(label), '');
console.log('p50/p99/max: wall clock per call. cpu p99: process CPU time of the call (µs resolution; excludes time the');
console.log('OS gave to other processes, includes GC threads). max includes garbage collection and JIT warm-up.');
console.log(`Load average (1 min) at the end of the run: ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs.`);

// Verdict: the target is on the p99 of all offer decisions. A kind whose wall-clock p99 is over the
// target while its CPU p99 is not was preempted (another process had the CPU), which says more about
// the machine than the engine: it is reported, and fails the run only if the engine's own time does.
const ok = all.p99 < TARGET_P99_MS && allCpu.p99 < TARGET_P99_MS;
console.log(`\nALL offer decisions: p50 ${all.p50.toFixed(4)} ms, p99 ${all.p99.toFixed(4)} ms (CPU p99 ${allCpu.p99.toFixed(4)} ms) over ${all.n} calls`);
for (const [label, v] of decisions) {
  const wall = stats(v).p99;
  const cpu = cpuOf(label).p99;
  if (wall >= TARGET_P99_MS) {
    console.log(`  note: "${label}" wall p99 ${wall.toFixed(2)} ms but CPU p99 ${cpu.toFixed(2)} ms${cpu < TARGET_P99_MS ? ' (preempted by other processes)' : ''}`);
  }
}
const cpuOver = decisions.filter(([label]) => cpuOf(label).p99 >= TARGET_P99_MS);
console.log(`Target p99 < ${TARGET_P99_MS} ms: ${ok && cpuOver.length === 0 ? 'PASS' : 'FAIL'}\n`);
process.exitCode = ok && cpuOver.length === 0 ? 0 : 1;
