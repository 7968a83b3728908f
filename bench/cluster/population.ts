import { SimParty, type Balancer } from './client';
import type { Ledger } from './ledger';
import { BENCH_PASSWORD, BENCH_QUEUE, type BenchNode } from './nodes';

/**
 * The simulated people: agents signed in over HTTP and connected (alternately to each node), then
 * widget customers whose chats start (HTTP) and connect (alternately to each node, independently of
 * where their agent is, so both same-node and cross-node pairs occur), each answered by an agent.
 */

export interface Chat {
  interactionId: string;
  customer: SimParty;
  agent: SimParty | null;
}

export interface Population {
  agents: SimParty[];
  customers: SimParty[];
  chats: Chat[];
  fatal: string[];
  close(): void;
}

/** Runs `work` over 0..n-1 with at most `concurrency` at a time. */
async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

async function post(url: string, body: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // 503 while no node holds the lease, 429 if a limit still bites: the apps retry.
    if ((res.status === 503 || res.status === 429) && attempt < 20) {
      await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
      continue;
    }
    if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${await res.text()}`);
    return res.json();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export async function populate(opts: { nodes: BenchNode[]; balancer: Balancer; agents: number; customers: number; ledger: Ledger; log(line: string): void }): Promise<Population> {
  const { nodes, balancer, ledger, log } = opts;
  const fatal: string[] = [];
  const onFatal = (why: string) => fatal.push(why);
  const agents: SimParty[] = [];
  const chats: Chat[] = [];
  const byInteraction = new Map<string, Chat>();
  const agentOf = new Map<string, SimParty>();
  let offers = 0;

  const t0 = performance.now();
  await pool(opts.agents, 8, async (i) => {
    const home = i % nodes.length;
    const { token } = (await post(`${nodes[home]!.url}/api/auth/login`, { username: `bench${i + 1}`, password: BENCH_PASSWORD })) as { token: string };
    const agent: SimParty = new SimParty({
      kind: 'agent',
      token,
      balancer,
      home,
      ledger,
      onFatal,
      onOffer: () => (offers += 1),
      onReady: (interactionId) => {
        agentOf.set(interactionId, agent);
        const chat = byInteraction.get(interactionId);
        if (chat) chat.agent = agent;
      },
    });
    agents[i] = agent;
    agent.connect();
  });
  if (!(await waitFor(() => agents.every((a) => a.node !== null), 60_000))) throw new Error(`${agents.filter((a) => a.node === null).length} agents did not connect`);
  log(`${opts.agents} agents signed in and connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  const customers: SimParty[] = [];
  let connected = 0;
  const progress = setInterval(() => {
    const errors = new Map<string, number>();
    for (const a of agents) for (const [code, n] of a.errors) errors.set(code, (errors.get(code) ?? 0) + n);
    const agentErrors = [...errors].map(([c, n]) => `${c} ×${n}`).join(', ') || 'none';
    log(`  chats: ${chats.length} started, ${connected} connected, ${chats.filter((c) => c.agent).length} opened at an agent; agents offline now ${agents.filter((a) => a.node === null).length}, offers seen ${offers}, agents' error frames: ${agentErrors}`);
  }, 10_000);
  const startAll = async () => {
    await pool(opts.customers, 32, async (i) => {
      const home = i % nodes.length;
      const started = (await post(`${nodes[home]!.url}/api/widget/interactions`, { kind: 'chat', queueId: BENCH_QUEUE, customer: { name: `Customer ${i + 1}` } })) as { interactionId: string; customerToken: string };
      const customer = new SimParty({ kind: 'customer', token: started.customerToken, balancer, home, ledger, onFatal, onReady: () => (connected += 1) });
      const chat: Chat = { interactionId: started.interactionId, customer, agent: agentOf.get(started.interactionId) ?? null };
      byInteraction.set(started.interactionId, chat);
      chats.push(chat);
      customers.push(customer);
      customer.connect();
    });
    return waitFor(() => connected >= opts.customers && chats.every((c) => c.agent !== null), 120_000);
  };
  const allAnswered = await startAll().finally(() => clearInterval(progress));
  if (!allAnswered) throw new Error(`only ${connected} of ${opts.customers} chats were answered (${chats.filter((c) => c.agent).length} opened at an agent)`);
  log(`${opts.customers} chats started, connected and answered in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  return {
    agents,
    customers,
    chats,
    fatal,
    close: () => {
      for (const p of [...agents, ...customers]) p.close();
    },
  };
}
