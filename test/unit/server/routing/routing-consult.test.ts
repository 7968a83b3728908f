import { describe, expect, it } from 'vitest';
import { AVAILABLE, T0, engine, item, mustAccept, offers, queue, withdrawn } from './helpers';

/** a holds call k in sales; b is the agent a consults; both in sales. */
function setup() {
  const e = engine([queue('sales', ['a', 'b'])]);
  e.setAgentStatus('a', AVAILABLE, T0);
  e.enqueue(item('sales', T0, 'call', { id: 'k' }), T0);
  mustAccept(e, 'k', 'a', T0 + 1);
  e.setAgentStatus('b', AVAILABLE, T0 + 2);
  return e;
}

const agent = (e: ReturnType<typeof setup>, id: string) => e.snapshot().agents.find((g) => g.agentId === id);

describe('RoutingEngine: a consult holds the agent consulted', () => {
  it('no call is offered to them while it lasts; chats are; the call waits for releaseConsult', () => {
    const e = setup();
    expect(e.holdForConsult('b', T0 + 10)).toEqual({ offers: [], withdrawn: [] });
    expect(agent(e, 'b')).toMatchObject({ consulting: true, onCall: false, idleSince: null });
    expect(e.transferTargetCheck('b', 'call')).toBe('no_capacity');
    expect(offers(e.enqueue(item('sales', T0 + 11, 'call', { id: 'k2' }), T0 + 11))).toEqual([]);
    expect(offers(e.enqueue(item('sales', T0 + 12, 'chat', { id: 'c' }), T0 + 12))).toEqual(['c→b']);
    mustAccept(e, 'c', 'b', T0 + 13);
    expect(offers(e.releaseConsult('b', T0 + 20))).toEqual(['k2→b']);
    expect(agent(e, 'b')).toMatchObject({ consulting: false });
    // Twice is harmless.
    expect(e.releaseConsult('b', T0 + 21)).toEqual({ offers: [], withdrawn: [] });
  });

  it('a call offer they had when it started is withdrawn and goes to the next agent', () => {
    const e = engine([queue('sales', ['b', 'c'])]);
    e.setAgentStatus('b', AVAILABLE, T0);
    expect(offers(e.enqueue(item('sales', T0 + 1, 'call', { id: 'k' }), T0 + 1))).toEqual(['k→b']);
    e.setAgentStatus('c', AVAILABLE, T0 + 2);
    const out = e.holdForConsult('b', T0 + 3);
    expect(withdrawn(out)).toEqual(['k×b:unavailable']);
    expect(offers(out)).toEqual(['k→c']);
  });

  it('the hand-over turns the hold into the call: still no call for them, the first agent is free', () => {
    const e = setup();
    e.holdForConsult('b', T0 + 10);
    e.enqueue(item('sales', T0 + 11, 'call', { id: 'k2' }), T0 + 11);
    const out = e.handOver('k', 'b', T0 + 20);
    expect(out && offers(out)).toEqual(['k2→a']);
    expect(agent(e, 'b')).toMatchObject({ consulting: false, onCall: true });
    expect(e.releaseConsult('b', T0 + 21)).toEqual({ offers: [], withdrawn: [] });
    expect(e.transferTargetCheck('b', 'call')).toBe('no_capacity');
  });

  it('a held agent ranks as busy for chats: a free agent is offered first', () => {
    const e = engine([queue('sales', ['b', 'c'])]);
    e.setAgentStatus('b', AVAILABLE, T0);
    e.setAgentStatus('c', AVAILABLE, T0 + 5);
    e.holdForConsult('b', T0 + 6);
    expect(offers(e.enqueue(item('sales', T0 + 7, 'chat', { id: 'c1' }), T0 + 7))).toEqual(['c1→c']);
  });
});
