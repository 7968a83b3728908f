// Which agent gets which item, and when: defaults, longest idle, FIFO, capacity, nobody there, position and wait, snapshot.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_CONFIG, DEFAULT_OFFER_TIMEOUT_MS } from '../../../../server/modules/routing/types';
import { AVAILABLE, AWAY, T0, WRAPUP, engine, item, mustAccept, offers, queue } from './helpers';

describe('RoutingEngine: defaults', () => {
  it('has a chat capacity of 3 and a 15 s offer timeout by default', () => {
    expect(DEFAULT_ROUTING_CONFIG).toEqual({ chatCapacity: 3 });
    expect(DEFAULT_OFFER_TIMEOUT_MS).toBe(15_000);
  });
});

describe('RoutingEngine: who gets the offer (R2 longest idle)', () => {
  it('offers to the eligible member idle longest (an agent who never worked: since becoming available)', () => {
    const e = engine([queue('q', ['a', 'b', 'c'])]);
    e.setAgentStatus('b', AVAILABLE, T0 + 100);
    e.setAgentStatus('c', AVAILABLE, T0 + 200);
    e.setAgentStatus('a', AVAILABLE, T0 + 300);
    expect(offers(e.enqueue(item('q', T0 + 400, 'chat', { id: 'x' }), T0 + 400))).toEqual(['x→b']);
    // b has an offer pending: the next goes to c, then a.
    expect(offers(e.enqueue(item('q', T0 + 401, 'chat', { id: 'y' }), T0 + 401))).toEqual(['y→c']);
    expect(offers(e.enqueue(item('q', T0 + 402, 'chat', { id: 'z' }), T0 + 402))).toEqual(['z→a']);
  });

  it('restarts idle time when an agent releases their last interaction or finishes wrap-up', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 10);
    e.enqueue(item('q', T0 + 20, 'call', { id: 'c1' }), T0 + 20); // → a
    mustAccept(e, 'c1', 'a', T0 + 21);
    e.release('c1', T0 + 1_000); // a free again, idle since 1000 (after b's 10)
    expect(e.snapshot().agents.find((x) => x.agentId === 'a')?.idleSince).toBe(T0 + 1_000);
    expect(offers(e.enqueue(item('q', T0 + 1_001, 'call', { id: 'c2' }), T0 + 1_001))).toEqual(['c2→b']);
    mustAccept(e, 'c2', 'b', T0 + 1_002);
    e.release('c2', T0 + 2_000);
    e.setAgentStatus('b', WRAPUP, T0 + 2_000);
    expect(e.snapshot().agents.find((x) => x.agentId === 'b')?.idleSince).toBeNull();
    e.setAgentStatus('b', AVAILABLE, T0 + 5_000); // b idle since the end of wrap-up
    expect(e.snapshot().agents.find((x) => x.agentId === 'b')?.idleSince).toBe(T0 + 5_000);
    expect(offers(e.enqueue(item('q', T0 + 6_000, 'call', { id: 'c3' }), T0 + 6_000))).toEqual(['c3→a']);
  });

  it('prefers a free agent over one already holding chats, then the fewer chats', () => {
    const e = engine([queue('q', ['a', 'b', 'c'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x1' }), T0);
    mustAccept(e, 'x1', 'a', T0 + 1);
    e.enqueue(item('q', T0 + 2, 'chat', { id: 'x2' }), T0 + 2);
    mustAccept(e, 'x2', 'a', T0 + 3); // a: 2 chats
    e.setAgentStatus('b', AVAILABLE, T0 + 4);
    e.enqueue(item('q', T0 + 5, 'chat', { id: 'x3' }), T0 + 5);
    mustAccept(e, 'x3', 'b', T0 + 6); // b: 1 chat
    e.setAgentStatus('c', AVAILABLE, T0 + 7);
    expect(offers(e.enqueue(item('q', T0 + 8, 'chat', { id: 'x4' }), T0 + 8))).toEqual(['x4→c']);
    expect(offers(e.enqueue(item('q', T0 + 9, 'chat', { id: 'x5' }), T0 + 9))).toEqual(['x5→b']);
  });
});

describe('RoutingEngine: waiting order (R1 FIFO)', () => {
  it('keeps FIFO per queue and gives a freed agent the oldest item across their queues', () => {
    const e = engine([queue('sales', ['a']), queue('support', ['a'])], 1);
    e.enqueue(item('sales', T0 + 30, 'chat', { id: 's1' }), T0 + 30);
    e.enqueue(item('support', T0 + 10, 'chat', { id: 'p1' }), T0 + 30);
    e.enqueue(item('sales', T0 + 40, 'chat', { id: 's2' }), T0 + 40);
    e.enqueue(item('support', T0 + 20, 'chat', { id: 'p2' }), T0 + 40);
    expect([e.position('s1'), e.position('s2'), e.position('p1'), e.position('p2')]).toEqual([1, 2, 1, 2]);
    const got: string[] = [];
    let out = e.setAgentStatus('a', AVAILABLE, T0 + 100);
    for (let t = 101; out.offers.length > 0; t++) {
      const id = out.offers[0]!.interactionId;
      got.push(id);
      expect(offers(mustAccept(e, id, 'a', T0 + t))).toEqual([]); // capacity 1: nothing more
      out = e.release(id, T0 + t); // the next comes with the freed capacity
    }
    expect(got).toEqual(['p1', 'p2', 's1', 's2']);
  });

  it('an item enqueued with an older enqueuedAt (e.g. a transfer keeping its age) goes ahead', () => {
    const e = engine([queue('q', ['a'])]);
    e.enqueue(item('q', T0 + 50, 'chat', { id: 'new' }), T0 + 50);
    e.enqueue(item('q', T0 + 10, 'chat', { id: 'old' }), T0 + 60);
    expect(e.position('old')).toBe(1);
    expect(e.position('new')).toBe(2);
    expect(offers(e.setAgentStatus('a', AVAILABLE, T0 + 70))).toEqual(['old→a']);
  });
});

describe('RoutingEngine: capacity (R3)', () => {
  it('offers up to chatCapacity chats, one at a time, then no more chat offers', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    for (let i = 1; i <= 5; i++) e.enqueue(item('q', T0 + i, 'chat', { id: `x${i}` }), T0 + i);
    // One offer at a time: only x1 is offered.
    expect(e.snapshot().agents[0]).toMatchObject({ agentId: 'a', chats: 0, offeredInteractionId: 'x1' });
    expect(offers(mustAccept(e, 'x1', 'a', T0 + 10))).toEqual(['x2→a']);
    expect(offers(mustAccept(e, 'x2', 'a', T0 + 11))).toEqual(['x3→a']);
    expect(offers(mustAccept(e, 'x3', 'a', T0 + 12))).toEqual([]); // 3 chats: full
    expect(e.snapshot().agents[0]).toMatchObject({ chats: 3, offeredInteractionId: null });
    expect(offers(e.enqueue(item('q', T0 + 13, 'chat', { id: 'x6' }), T0 + 13))).toEqual([]);
    // Releasing one chat frees a slot: the oldest waiting chat comes.
    expect(offers(e.release('x1', T0 + 20))).toEqual(['x4→a']);
  });

  it('honours a configured chat capacity', () => {
    const e = engine([queue('q', ['a'])], 1);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x1' }), T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'x2' }), T0 + 1);
    expect(offers(mustAccept(e, 'x1', 'a', T0 + 2))).toEqual([]);
  });

  it('does not offer a call to an agent on a call, but does offer them a chat', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'call', { id: 'c1' }), T0);
    e.enqueue(item('q', T0 + 1, 'call', { id: 'c2' }), T0 + 1);
    const out = mustAccept(e, 'c1', 'a', T0 + 2);
    expect(offers(out)).toEqual([]); // c2 waits
    expect(e.snapshot().agents[0]).toMatchObject({ onCall: true, chats: 0 });
    expect(offers(e.enqueue(item('q', T0 + 3, 'chat', { id: 'x' }), T0 + 3))).toEqual(['x→a']);
    mustAccept(e, 'x', 'a', T0 + 4);
    expect(offers(e.release('c1', T0 + 5))).toEqual(['c2→a']);
  });

  it('skips a call at the head of the queue for an agent on a call and offers the chat behind it', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'call', { id: 'c1' }), T0);
    mustAccept(e, 'c1', 'a', T0 + 1);
    e.setAgentStatus('a', AWAY, T0 + 2);
    e.enqueue(item('q', T0 + 3, 'call', { id: 'c2' }), T0 + 3);
    e.enqueue(item('q', T0 + 4, 'chat', { id: 'x' }), T0 + 4);
    expect(offers(e.setAgentStatus('a', AVAILABLE, T0 + 5))).toEqual(['x→a']);
  });
});

describe('RoutingEngine: nobody there (R9)', () => {
  it('keeps an item waiting while no member is signed in and offers it as soon as one is available', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    const out = e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    expect(out).toEqual({ offers: [], withdrawn: [] });
    expect(e.position('x')).toBe(1);
    expect(e.nextDeadline()).toBeNull();
    expect(offers(e.setAgentStatus('b', AWAY, T0 + 1))).toEqual([]);
    expect(offers(e.setAgentStatus('b', WRAPUP, T0 + 2))).toEqual([]);
    expect(offers(e.setAgentStatus('b', AVAILABLE, T0 + 3))).toEqual(['x→b']);
  });

  it('does not offer to agents outside the queue', () => {
    const e = engine([queue('q', ['a']), queue('other', ['z'])]);
    e.setAgentStatus('z', AVAILABLE, T0);
    expect(offers(e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0))).toEqual([]);
  });

  it('keeps items of an unknown queue waiting until the queue is configured, then offers them', () => {
    const e = engine([]);
    e.setAgentStatus('a', AVAILABLE, T0);
    expect(offers(e.enqueue(item('later', T0, 'chat', { id: 'x' }), T0))).toEqual([]);
    expect(e.snapshot().queues).toEqual([{ queueId: 'later', waiting: 1, oldestEnqueuedAt: T0 }]);
    e.setQueues([queue('later', ['a'])]);
    expect(offers(e.reconcile(T0 + 1))).toEqual(['x→a']);
  });

  it('applies new members on the next call when the caller does not reconcile', () => {
    const e = engine([queue('q', [])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    e.setQueues([queue('q', ['a'])]);
    // Any outcome-producing call first offers what the change made possible.
    expect(offers(e.expireOffers(T0 + 1))).toEqual(['x→a']);
  });
});

describe('RoutingEngine: position and estimated wait (R10)', () => {
  it('counts waiting and offered items of the queue, not accepted ones', () => {
    const e = engine([queue('q', ['a']), queue('other', [])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'x1' }), T0 + 1); // offered to a
    e.enqueue(item('q', T0 + 2, 'chat', { id: 'x2' }), T0 + 2);
    e.enqueue(item('other', T0 + 3, 'chat', { id: 'o1' }), T0 + 3);
    e.enqueue(item('q', T0 + 4, 'chat', { id: 'x3' }), T0 + 4);
    expect([e.position('x1'), e.position('x2'), e.position('x3'), e.position('o1')]).toEqual([1, 2, 3, 1]);
    mustAccept(e, 'x1', 'a', T0 + 5); // → x2 offered
    expect([e.position('x1'), e.position('x2'), e.position('x3')]).toEqual([null, 1, 2]);
    expect(e.position('nope')).toBeNull();
  });

  it('estimates position × average handle time ÷ signed-in members, 120 s before any release', () => {
    const e = engine([queue('q', ['a', 'b', 'c'])]);
    for (let i = 1; i <= 4; i++) e.enqueue(item('q', T0 + i, 'call', { id: `c${i}` }), T0 + i);
    // Nobody signed in: divide by max(1, 0) = 1.
    expect(e.estimatedWaitSeconds('c1', T0 + 10)).toBe(120);
    expect(e.estimatedWaitSeconds('c3', T0 + 10)).toBe(360);
    e.setAgentStatus('a', AVAILABLE, T0 + 10); // c1 → a
    e.setAgentStatus('b', AWAY, T0 + 10);
    mustAccept(e, 'c1', 'a', T0 + 20);
    e.release('c1', T0 + 20 + 60_000, { wrapup: true }); // handle time 60 s
    e.setAgentStatus('a', AVAILABLE, T0 + 70_000); // c2 → a
    mustAccept(e, 'c2', 'a', T0 + 70_001);
    e.release('c2', T0 + 70_001 + 180_000, { wrapup: true }); // 180 s → mean 120 s
    e.setAgentStatus('c', AVAILABLE, T0 + 300_000); // c3 → c; a in wrap-up but signed in
    expect(e.averageHandleTimeMs('q')).toBe(120_000);
    // c4: position 2 (c3 offered ahead), 2 signed in (a in wrap-up, c) → 2 × 120 / 2.
    expect(e.position('c4')).toBe(2);
    expect(e.estimatedWaitSeconds('c4', T0 + 300_000)).toBe(120);
    expect(e.estimatedWaitSeconds('c1', T0 + 300_000)).toBeNull();
  });
});

describe('RoutingEngine: snapshot', () => {
  it('reports waiting counts, oldest item, and each agent’s load, offer and idle time', () => {
    const e = engine([queue('q1', ['a', 'b']), queue('q2', ['b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q1', T0 + 5, 'chat', { id: 'x' }), T0 + 5);
    e.enqueue(item('q2', T0 + 7, 'call', { id: 'y' }), T0 + 7);
    expect(e.snapshot()).toEqual({
      queues: [
        { queueId: 'q1', waiting: 1, oldestEnqueuedAt: T0 + 5 },
        { queueId: 'q2', waiting: 1, oldestEnqueuedAt: T0 + 7 },
      ],
      agents: [
        { agentId: 'a', chats: 0, onCall: false, consulting: false, offeredInteractionId: 'x', idleSince: T0 },
        { agentId: 'b', chats: 0, onCall: false, consulting: false, offeredInteractionId: null, idleSince: null },
      ],
    });
  });
});
