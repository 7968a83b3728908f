import { describe, expect, it } from 'vitest';
import type { RoutingOutcome, WorkKind } from '../../../../server/modules/routing/types';
import { T0, engine, queue } from './helpers';

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random operations against a model kept only from the outcomes the engine returns (what the
 * interactions service sees). After every call: offers and withdrawals are consistent, capacity holds,
 * and no waiting un-offered item has an eligible member (nothing waits while someone could take it).
 */
describe('RoutingEngine invariants under random operations', () => {
  it.each([1, 2, 3, 4, 5])('seed %i', (seed) => {
    const rand = rng(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
    const CAP = 2;
    const agentIds = ['a', 'b', 'c', 'd', 'e', 'f'];
    const queues = [queue('q1', ['a', 'b', 'c'], 1_000), queue('q2', ['c', 'd', 'e'], 2_000), queue('q3', ['f', 'a'], 500)];
    const e = engine(queues, CAP);
    const status = new Map(agentIds.map((id) => [id, { available: false, inWrapup: false }]));
    const items = new Map<string, { kind: WorkKind; queueId: string; state: 'waiting' | 'offered' | 'assigned'; agent?: string; expiresAt?: number }>();
    const offerOf = new Map<string, string>(); // agent → item
    let now = T0;
    let n = 0;

    const apply = (out: RoutingOutcome) => {
      counts.offers += out.offers.length;
      counts.withdrawn += out.withdrawn.length;
      for (const w of out.withdrawn) {
        const it = items.get(w.interactionId);
        expect(it?.state).toBe('offered');
        expect(it?.agent).toBe(w.agentId);
        expect(offerOf.get(w.agentId)).toBe(w.interactionId);
        offerOf.delete(w.agentId);
        if (w.reason === 'customer_left') items.delete(w.interactionId);
        else Object.assign(it!, { state: 'waiting', agent: undefined });
      }
      for (const o of out.offers) {
        const it = items.get(o.interactionId);
        expect(it?.state).toBe('waiting');
        expect(offerOf.has(o.agentId)).toBe(false); // one offer at a time
        expect(o.expiresAt).toBeGreaterThan(now - 1);
        offerOf.set(o.agentId, o.interactionId);
        Object.assign(it!, { state: 'offered', agent: o.agentId, expiresAt: o.expiresAt });
      }
    };

    const check = () => {
      const snap = e.snapshot();
      const load = new Map(snap.agents.map((g) => [g.agentId, g]));
      for (const g of snap.agents) {
        // Load as the caller knows it from its accepts and releases.
        const mine = [...items.values()].filter((i) => i.state === 'assigned' && i.agent === g.agentId);
        const chats = mine.filter((i) => i.kind === 'chat').length;
        const calls = mine.length - chats;
        expect(chats).toBeLessThanOrEqual(CAP);
        expect(calls).toBeLessThanOrEqual(1);
        expect({ chats: g.chats, onCall: g.onCall }).toEqual({ chats, onCall: calls === 1 });
        expect(g.offeredInteractionId).toBe(offerOf.get(g.agentId) ?? null);
      }
      const violations: string[] = [];
      for (const [id, it] of items) {
        if (it.state !== 'waiting') continue;
        if (e.position(id) === null) violations.push(`${id} waiting without a position`);
        const def = queues.find((q) => q.id === it.queueId)!;
        for (const m of def.memberIds) {
          const s = status.get(m)!;
          const g = load.get(m)!;
          const fits = it.kind === 'chat' ? g.chats < CAP : !g.onCall;
          if (s.available && !s.inWrapup && !offerOf.has(m) && fits) violations.push(`${id} (${it.kind}, ${it.queueId}) waits while ${m} is eligible`);
        }
      }
      expect(violations).toEqual([]);
      const deadline = e.nextDeadline();
      const expiries = [...items.values()].filter((i) => i.state === 'offered').map((i) => i.expiresAt!);
      expect(deadline).toBe(expiries.length ? Math.min(...expiries) : null);
    };

    const counts = { offers: 0, accepted: 0, withdrawn: 0 };
    for (let step = 0; step < 600; step++) {
      now += Math.floor(rand() * 400);
      const r = rand();
      if (r < 0.2) {
        const id = pick(agentIds)!;
        const s = { available: rand() < 0.75, inWrapup: rand() < 0.2 };
        status.set(id, s);
        apply(e.setAgentStatus(id, s, now));
      } else if (r < 0.4) {
        const id = `i${++n}`;
        const it = { kind: (rand() < 0.6 ? 'chat' : 'call') as WorkKind, queueId: pick(queues)!.id, state: 'waiting' as const };
        items.set(id, it);
        apply(e.enqueue({ id, kind: it.kind, queueId: it.queueId, enqueuedAt: now }, now));
      } else if (r < 0.6) {
        const [agent, id] = pick([...offerOf]) ?? [];
        if (!agent || !id) continue;
        const res = e.accept(id, agent, now);
        const live = now < items.get(id)!.expiresAt!;
        expect(res.ok).toBe(live);
        if (res.ok) {
          offerOf.delete(agent);
          counts.accepted++;
          Object.assign(items.get(id)!, { state: 'assigned' });
          apply(res.outcome);
        }
      } else if (r < 0.68) {
        const [agent, id] = pick([...offerOf]) ?? [];
        if (!agent || !id) continue;
        const res = e.decline(id, agent, now);
        if (res.ok) apply(res.outcome);
      } else if (r < 0.78) {
        apply(e.expireOffers(now));
      } else if (r < 0.85) {
        const id = pick([...items.keys()]);
        if (!id) continue;
        const it = items.get(id)!;
        const out = e.remove(id, now);
        if (it.state !== 'offered') items.delete(id);
        apply(out);
      } else {
        const id = pick([...items].filter(([, i]) => i.state === 'assigned').map(([k]) => k));
        if (!id) continue;
        items.delete(id);
        apply(e.release(id, now));
      }
      check();
    }
    // The run exercised the interesting paths, not just a growing queue.
    expect(counts.offers).toBeGreaterThan(50);
    expect(counts.accepted).toBeGreaterThan(20);
    expect(counts.withdrawn).toBeGreaterThan(10);
  });
});
