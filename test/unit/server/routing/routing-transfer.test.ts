import { describe, expect, it } from 'vitest';
import { AVAILABLE, AWAY, T0, WRAPUP, engine, item, mustAccept, mustDecline, offers, queue, withdrawn } from './helpers';

/** a (sales) holds chat x; b is in sales too; s1, s2 in support; t is a specialist in no queue. */
function setup(timeout = 10_000) {
  const e = engine([queue('sales', ['a', 'b'], timeout), queue('support', ['s1', 's2'], timeout)]);
  e.setAgentStatus('a', AVAILABLE, T0);
  e.enqueue(item('sales', T0, 'chat', { id: 'x' }), T0);
  mustAccept(e, 'x', 'a', T0 + 1);
  e.setAgentStatus('b', AVAILABLE, T0 + 2);
  e.setAgentStatus('s1', AVAILABLE, T0 + 3);
  e.setAgentStatus('s2', AVAILABLE, T0 + 4);
  return e;
}

describe('RoutingEngine: transfer to a queue', () => {
  it('releases from the first agent and offers in the new queue by its rules', () => {
    const e = setup();
    e.release('x', T0 + 100);
    const out = e.enqueue(item('support', T0 + 100, 'chat', { id: 'x' }), T0 + 100);
    expect(offers(out)).toEqual(['x→s1']); // longest idle in support
    expect(e.snapshot().agents.find((g) => g.agentId === 'a')).toMatchObject({ chats: 0, idleSince: T0 + 100 });
  });
});

describe('RoutingEngine: blind transfer to an agent (R8)', () => {
  it('offers only to the target, even when others in the queue are idle longer and the target is in no queue', () => {
    const e = setup();
    e.setAgentStatus('t', AVAILABLE, T0 + 50);
    e.release('x', T0 + 100);
    const out = e.enqueue(item('support', T0 + 100, 'chat', { id: 'x', targetAgentId: 't' }), T0 + 100);
    expect(offers(out)).toEqual(['x→t']);
    expect(mustAccept(e, 'x', 't', T0 + 101)).toEqual({ offers: [], withdrawn: [] });
  });

  it('falls back to the queue when the target declines, without offering it back to the target', () => {
    const e = setup();
    e.release('x', T0 + 100);
    e.enqueue(item('support', T0 + 100, 'chat', { id: 'x', targetAgentId: 's2' }), T0 + 100);
    const out = mustDecline(e, 'x', 's2', T0 + 101);
    expect(withdrawn(out)).toEqual(['x×s2:declined']);
    expect(offers(out)).toEqual(['x→s1']);
    // s1 declines too: s2, the only other member, passed on it already but is the only one left (R5).
    expect(offers(mustDecline(e, 'x', 's1', T0 + 102))).toEqual(['x→s2']);
  });

  it('falls back to the queue when the target lets the offer time out', () => {
    const e = setup(10_000);
    e.release('x', T0 + 100);
    e.enqueue(item('support', T0 + 100, 'chat', { id: 'x', targetAgentId: 's2' }), T0 + 100);
    expect(e.nextDeadline()).toBe(T0 + 10_100);
    const out = e.expireOffers(T0 + 10_100);
    expect(withdrawn(out)).toEqual(['x×s2:timeout']);
    expect(offers(out)).toEqual(['x→s1']);
  });

  it('falls back to the queue when the target goes away while offered', () => {
    const e = setup();
    e.release('x', T0 + 100);
    e.enqueue(item('support', T0 + 100, 'chat', { id: 'x', targetAgentId: 's2' }), T0 + 100);
    const out = e.setAgentStatus('s2', AWAY, T0 + 200);
    expect(withdrawn(out)).toEqual(['x×s2:unavailable']);
    expect(offers(out)).toEqual(['x→s1']);
  });

  it('waits for a busy target within the offer timeout, then falls back to any member of the queue', () => {
    const e = setup(10_000);
    e.setAgentStatus('s1', AWAY, T0 + 50);
    e.release('x', T0 + 100);
    // b is a free sales member, but the transfer is for s1 only (away).
    expect(offers(e.enqueue(item('sales', T0 + 100, 'chat', { id: 'x', targetAgentId: 's1' }), T0 + 100))).toEqual([]);
    expect(e.position('x')).toBe(1);
    expect(e.nextDeadline()).toBe(T0 + 10_100); // the window counts as a deadline for the caller's timer
    expect(e.expireOffers(T0 + 10_099)).toEqual({ offers: [], withdrawn: [] });
    const out = e.expireOffers(T0 + 10_100);
    expect(out.withdrawn).toEqual([]);
    expect(offers(out)).toEqual(['x→b']); // b idle since T0+2, a only since the release at T0+100
  });

  it('offers to the target the moment they become eligible inside the window, ahead of older queue work', () => {
    const e = setup(10_000);
    e.setAgentStatus('s1', AWAY, T0 + 50);
    e.setAgentStatus('s2', AWAY, T0 + 50);
    e.enqueue(item('support', T0 + 60, 'chat', { id: 'older' }), T0 + 60);
    e.release('x', T0 + 100);
    e.enqueue(item('sales', T0 + 100, 'chat', { id: 'x', targetAgentId: 's1' }), T0 + 100);
    expect(offers(e.setAgentStatus('s1', AVAILABLE, T0 + 5_000))).toEqual(['x→s1']);
    // The window is over once offered: no fallback at its end while the offer runs.
    expect(e.expireOffers(T0 + 10_100)).toEqual({ offers: [], withdrawn: [] });
    expect(e.nextDeadline()).toBe(T0 + 15_000);
  });

  it('drops a waiting blind transfer when the customer leaves', () => {
    const e = setup();
    e.setAgentStatus('s1', AWAY, T0 + 50);
    e.release('x', T0 + 100);
    e.enqueue(item('support', T0 + 100, 'chat', { id: 'x', targetAgentId: 's1' }), T0 + 100);
    expect(e.remove('x', T0 + 200)).toEqual({ offers: [], withdrawn: [] });
    expect(e.position('x')).toBeNull();
    expect(e.nextDeadline()).toBeNull();
    expect(offers(e.setAgentStatus('s1', AVAILABLE, T0 + 300))).toEqual([]);
  });
});

describe('RoutingEngine: who may be named as a transfer target', () => {
  it('an available agent with room for the kind is ok, a pending offer notwithstanding', () => {
    const e = setup();
    expect(e.transferTargetCheck('b', 'chat')).toBe('ok');
    expect(e.transferTargetCheck('b', 'call')).toBe('ok');
    e.enqueue(item('support', T0 + 10, 'chat', { id: 'y' }), T0 + 10); // offered to s1
    expect(e.transferTargetCheck('s1', 'chat')).toBe('ok');
  });

  it('away, offline or never seen is unavailable; wrap-up is in_wrapup', () => {
    const e = setup();
    e.setAgentStatus('b', AWAY, T0 + 10);
    expect(e.transferTargetCheck('b', 'chat')).toBe('unavailable');
    expect(e.transferTargetCheck('nobody', 'chat')).toBe('unavailable');
    e.setAgentStatus('s2', WRAPUP, T0 + 10);
    expect(e.transferTargetCheck('s2', 'chat')).toBe('in_wrapup');
  });

  it('no_capacity: chats at chatCapacity for a chat, a call in progress for a call; the other kind still fits', () => {
    const e = engine([queue('sales', ['a'])], 2);
    e.setAgentStatus('a', AVAILABLE, T0);
    for (const id of ['c1', 'c2']) {
      e.enqueue(item('sales', T0, 'chat', { id }), T0);
      mustAccept(e, id, 'a', T0 + 1);
    }
    expect(e.transferTargetCheck('a', 'chat')).toBe('no_capacity');
    expect(e.transferTargetCheck('a', 'call')).toBe('ok');
    e.enqueue(item('sales', T0 + 2, 'call', { id: 'k' }), T0 + 2);
    mustAccept(e, 'k', 'a', T0 + 3);
    expect(e.transferTargetCheck('a', 'call')).toBe('no_capacity');
    e.release('c1', T0 + 4);
    expect(e.transferTargetCheck('a', 'chat')).toBe('ok');
  });
});
