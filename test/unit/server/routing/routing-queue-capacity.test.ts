// A queue's own chat capacity (Admin → Queues, issue 19): its chats go only to agents holding fewer.
import { describe, expect, it } from 'vitest';
import { AVAILABLE, T0, engine, item, mustAccept, offers, queue } from './helpers';

describe('RoutingEngine: per-queue chat capacity', () => {
  it('offers a queue’s chat only to an agent under that queue’s capacity, while other queues keep the default', () => {
    const e = engine([{ ...queue('vip', ['a']), chatCapacity: 1 }, queue('general', ['a'])], 3);
    e.setAgentStatus('a', AVAILABLE, T0);
    expect(offers(e.enqueue(item('vip', T0 + 1, 'chat', { id: 'v1' }), T0 + 1))).toEqual(['v1→a']);
    mustAccept(e, 'v1', 'a', T0 + 2);
    // a holds one chat: vip's second waits, general's chat is still offered.
    expect(offers(e.enqueue(item('vip', T0 + 3, 'chat', { id: 'v2' }), T0 + 3))).toEqual([]);
    expect(offers(e.enqueue(item('general', T0 + 4, 'chat', { id: 'g1' }), T0 + 4))).toEqual(['g1→a']);
    mustAccept(e, 'g1', 'a', T0 + 5);
    // Both chats end: the waiting vip chat is offered.
    e.release('g1', T0 + 6);
    expect(offers(e.release('v1', T0 + 7))).toEqual(['v2→a']);
  });

  it('a capacity raised by setQueues frees agents at once (reconcile)', () => {
    const e = engine([{ ...queue('q', ['a']), chatCapacity: 1 }], 1);
    e.setAgentStatus('a', AVAILABLE, T0);
    e.enqueue(item('q', T0 + 1, 'chat', { id: 'c1' }), T0 + 1);
    mustAccept(e, 'c1', 'a', T0 + 2);
    expect(offers(e.enqueue(item('q', T0 + 3, 'chat', { id: 'c2' }), T0 + 3))).toEqual([]);
    e.setQueues([{ ...queue('q', ['a']), chatCapacity: 2 }]);
    expect(offers(e.reconcile(T0 + 4))).toEqual(['c2→a']);
  });
});
