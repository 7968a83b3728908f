// The life of an offer once made: timeouts, declines, the agent going away, accept, wrap-up, release and removal.
import { describe, expect, it } from 'vitest';
import { AVAILABLE, AWAY, T0, WRAPUP, engine, item, mustAccept, mustDecline, offers, queue, withdrawn } from './helpers';

describe('RoutingEngine: timeouts (R4)', () => {
  it('withdraws an offer at expiresAt and re-offers it to the next agent, with injected times', () => {
    const e = engine([queue('q', ['a', 'b'], 10_000)]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 1);
    const first = e.enqueue(item('q', T0 + 5, 'chat', { id: 'x' }), T0 + 5);
    expect(first.offers).toEqual([{ interactionId: 'x', agentId: 'a', queueId: 'q', offeredAt: T0 + 5, expiresAt: T0 + 10_005 }]);
    expect(e.nextDeadline()).toBe(T0 + 10_005);
    expect(e.expireOffers(T0 + 10_004)).toEqual({ offers: [], withdrawn: [] });
    const out = e.expireOffers(T0 + 10_005);
    expect(withdrawn(out)).toEqual(['x×a:timeout']);
    expect(out.offers).toEqual([{ interactionId: 'x', agentId: 'b', queueId: 'q', offeredAt: T0 + 10_005, expiresAt: T0 + 20_005 }]);
    expect(e.nextDeadline()).toBe(T0 + 20_005);
  });

  it('reports the earliest deadline among several offers, and null when none are pending', () => {
    const e = engine([queue('fast', ['a'], 5_000), queue('slow', ['b'], 30_000)]);
    expect(e.nextDeadline()).toBeNull();
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0);
    e.enqueue(item('slow', T0, 'chat', { id: 's' }), T0);
    e.enqueue(item('fast', T0 + 1_000, 'chat', { id: 'f' }), T0 + 1_000);
    expect(e.nextDeadline()).toBe(T0 + 6_000);
    mustAccept(e, 'f', 'a', T0 + 2_000);
    expect(e.nextDeadline()).toBe(T0 + 30_000);
    mustAccept(e, 's', 'b', T0 + 2_000);
    expect(e.nextDeadline()).toBeNull();
  });

  it('gives a timed-out item back to the same agent when they are the only one', () => {
    const e = engine([queue('q', ['a'], 1_000)]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    const out = e.expireOffers(T0 + 1_000);
    expect(withdrawn(out)).toEqual(['x×a:timeout']);
    expect(offers(out)).toEqual(['x→a']);
  });

  it('expires every due offer in one call but not the re-offers it makes', () => {
    const e = engine([queue('q', ['a', 'b', 'c'], 1_000)]);
    for (const [i, id] of ['a', 'b', 'c'].entries()) e.setAgentStatus(id, AVAILABLE, T0 + i);
    e.enqueue(item('q', T0 + 10, 'chat', { id: 'x' }), T0 + 10); // a
    e.enqueue(item('q', T0 + 11, 'chat', { id: 'y' }), T0 + 11); // b
    const out = e.expireOffers(T0 + 5_000);
    expect(withdrawn(out)).toEqual(['x×a:timeout', 'y×b:timeout']);
    // x goes to c (a passed on it); y then goes to a, free again and never offered y.
    expect(offers(out).sort()).toEqual(['x→c', 'y→a']);
    expect(e.nextDeadline()).toBe(T0 + 6_000);
  });
});

describe('RoutingEngine: declines (R4, R5)', () => {
  it('re-offers a declined item to the next agent and not back to the decliner while others exist', () => {
    const e = engine([queue('q', ['a', 'b', 'c'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 1);
    e.setAgentStatus('c', AVAILABLE, T0 + 2);
    e.enqueue(item('q', T0 + 3, 'chat', { id: 'x' }), T0 + 3);
    const d1 = mustDecline(e, 'x', 'a', T0 + 4);
    expect(withdrawn(d1)).toEqual(['x×a:declined']);
    expect(offers(d1)).toEqual(['x→b']);
    const d2 = mustDecline(e, 'x', 'b', T0 + 5);
    expect(offers(d2)).toEqual(['x→c']); // a is still the longest idle but declined it
    // c declines too: everyone passed; a (longest idle of those who passed) gets it again.
    const d3 = mustDecline(e, 'x', 'c', T0 + 6);
    expect(offers(d3)).toEqual(['x→a']);
  });

  it('when the decliner is the only free agent the item waits for another agent, and the decliner gets other work first', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'x' }), T0 + 1);
    e.enqueue(item('q', T0 + 2, 'call', { id: 'y' }), T0 + 2); // waits: a has an offer
    const d = mustDecline(e, 'x', 'a', T0 + 3);
    expect(offers(d)).toEqual(['y→a']); // not x again
    // b signs in: x goes to b, who never passed on it.
    expect(offers(e.setAgentStatus('b', AVAILABLE, T0 + 4))).toEqual(['x→b']);
  });

  it('gives a declined item back to the decliner when nobody else is eligible', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'x' }), T0 + 1);
    expect(offers(mustDecline(e, 'x', 'a', T0 + 2))).toEqual(['x→a']);
  });

  it('refuses a decline from an agent without the offer', () => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    expect(e.decline('x', 'b', T0 + 1)).toEqual({ ok: false, reason: 'not_offered' });
    expect(e.decline('nope', 'a', T0 + 1)).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('RoutingEngine: unavailable while offered (R6)', () => {
  it.each([
    ['away', { available: false, inWrapup: false }],
    ['offline', { available: false, inWrapup: false }],
    ['in wrap-up', { available: true, inWrapup: true }],
  ])('withdraws the offer of an agent who goes %s and offers it to the next agent', (_label, status) => {
    const e = engine([queue('q', ['a', 'b'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 1);
    e.enqueue(item('q', T0 + 2, 'chat', { id: 'x' }), T0 + 2);
    const out = e.setAgentStatus('a', status, T0 + 3);
    expect(withdrawn(out)).toEqual(['x×a:unavailable']);
    expect(offers(out)).toEqual(['x→b']);
    expect(e.accept('x', 'a', T0 + 4)).toEqual({ ok: false, reason: 'not_offered' });
  });

  it('lets an agent who went away have the item again later (away is not a decline)', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    expect(offers(e.setAgentStatus('a', AWAY, T0 + 1))).toEqual([]);
    expect(e.position('x')).toBe(1);
    expect(offers(e.setAgentStatus('a', AVAILABLE, T0 + 2))).toEqual(['x→a']);
  });
});

describe('RoutingEngine: accept (R7)', () => {
  it('turns the offer into an assignment and removes the item from the queue', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    const r = e.accept('x', 'a', T0 + 1);
    expect(r).toEqual({ ok: true, outcome: { offers: [], withdrawn: [] } });
    expect(e.position('x')).toBeNull();
    expect(e.snapshot()).toEqual({
      queues: [{ queueId: 'q', waiting: 0, oldestEnqueuedAt: null }],
      agents: [{ agentId: 'a', chats: 1, onCall: false, consulting: false, offeredInteractionId: null, idleSince: null }],
    });
  });

  it('refuses a second accept', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    mustAccept(e, 'x', 'a', T0 + 1);
    expect(e.accept('x', 'a', T0 + 2)).toEqual({ ok: false, reason: 'not_offered' });
    expect(e.snapshot().agents[0]?.chats).toBe(1);
  });

  it('refuses an accept at or after expiry, even before expireOffers ran', () => {
    const e = engine([queue('q', ['a', 'b'], 1_000)]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 1);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    expect(e.accept('x', 'a', T0 + 1_000)).toEqual({ ok: false, reason: 'not_offered' });
    e.expireOffers(T0 + 1_000); // moved on to b
    expect(e.accept('x', 'a', T0 + 1_001)).toEqual({ ok: false, reason: 'not_offered' });
    expect(e.accept('x', 'b', T0 + 1_002).ok).toBe(true);
  });

  it('refuses an accept after the item moved on, by someone never offered it, or for an unknown id', () => {
    const e = engine([queue('q', ['a', 'b', 'c'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.setAgentStatus('b', AVAILABLE, T0 + 1);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    mustDecline(e, 'x', 'a', T0 + 1);
    expect(e.accept('x', 'a', T0 + 2)).toEqual({ ok: false, reason: 'not_offered' });
    expect(e.accept('x', 'c', T0 + 2)).toEqual({ ok: false, reason: 'not_offered' });
    expect(e.accept('ghost', 'a', T0 + 2)).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('RoutingEngine: wrap-up', () => {
  it('blocks offers while the agent is in wrap-up and offers as soon as it clears', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'call', { id: 'c1' }), T0);
    mustAccept(e, 'c1', 'a', T0 + 1);
    e.setAgentStatus('a', WRAPUP, T0 + 100); // the caller marks wrap-up first…
    expect(offers(e.release('c1', T0 + 100))).toEqual([]); // …so the release offers nothing
    expect(offers(e.enqueue(item('q', T0 + 200, 'call', { id: 'c2' }), T0 + 200))).toEqual([]);
    expect(offers(e.enqueue(item('q', T0 + 201, 'chat', { id: 'x' }), T0 + 201))).toEqual([]);
    const out = e.setAgentStatus('a', AVAILABLE, T0 + 300);
    expect(offers(out)).toEqual(['c2→a']);
    expect(e.snapshot().agents[0]?.idleSince).toBe(T0 + 300);
  });

  it('release with wrapup enters wrap-up in the same step (no offer made and withdrawn)', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'call', { id: 'c1' }), T0);
    mustAccept(e, 'c1', 'a', T0 + 1);
    e.enqueue(item('q', T0 + 2, 'call', { id: 'c2' }), T0 + 2);
    expect(e.release('c1', T0 + 10, { wrapup: true })).toEqual({ offers: [], withdrawn: [] });
    expect(offers(e.setAgentStatus('a', AVAILABLE, T0 + 20))).toEqual(['c2→a']);
  });

  it('release then wrap-up (the other order) withdraws the offer the release made', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'call', { id: 'c1' }), T0);
    mustAccept(e, 'c1', 'a', T0 + 1);
    e.enqueue(item('q', T0 + 2, 'call', { id: 'c2' }), T0 + 2);
    expect(offers(e.release('c1', T0 + 10))).toEqual(['c2→a']);
    expect(withdrawn(e.setAgentStatus('a', WRAPUP, T0 + 10))).toEqual(['c2×a:unavailable']);
  });
});

describe('RoutingEngine: remove and release', () => {
  it('withdraws a pending offer with customer_left and gives the agent the next item', () => {
    const e = engine([queue('q', ['a'])]);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'y' }), T0 + 1);
    const out = e.remove('x', T0 + 2);
    expect(withdrawn(out)).toEqual(['x×a:customer_left']);
    expect(offers(out)).toEqual(['y→a']);
    expect(e.position('x')).toBeNull();
    expect(e.position('y')).toBe(1);
    expect(e.accept('x', 'a', T0 + 3)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('drops a waiting item and moves the ones behind it up', () => {
    const e = engine([queue('q', ['a'])]);
    for (let i = 1; i <= 3; i++) e.enqueue(item('q', T0 + i, 'chat', { id: `w${i}` }), T0 + i);
    expect(e.remove('w1', T0 + 10)).toEqual({ offers: [], withdrawn: [] });
    expect([e.position('w1'), e.position('w2'), e.position('w3')]).toEqual([null, 1, 2]);
    expect(e.snapshot().queues[0]).toEqual({ queueId: 'q', waiting: 2, oldestEnqueuedAt: T0 + 2 });
    expect(e.remove('unknown', T0 + 11)).toEqual({ offers: [], withdrawn: [] });
  });

  it('throws on enqueueing an id that is still being routed', () => {
    const e = engine([queue('q', ['a'])]);
    e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0);
    expect(() => e.enqueue(item('q', T0, 'chat', { id: 'x' }), T0)).toThrow(/already routed/);
  });
});
