import { describe, expect, it } from 'vitest';
import { customerStateText, formatWait, startLineText, stateLineText } from '../../../widget/lib/state-line';

describe('state line', () => {
  it('says where the customer is for each customer.state', () => {
    expect(customerStateText({ state: 'waiting', position: 2, estimatedWaitSeconds: 60 })).toBe('Waiting — you are number 2 in line, about 1 min');
    expect(customerStateText({ state: 'waiting', position: 1, estimatedWaitSeconds: 20 })).toBe('Waiting — you are next in line, less than a minute');
    expect(customerStateText({ state: 'waiting', position: 5 })).toBe('Waiting — you are number 5 in line');
    expect(customerStateText({ state: 'waiting' })).toBe('Waiting for an agent…');
    expect(customerStateText({ state: 'no_agents' })).toBe('No agents are online right now');
    expect(customerStateText({ state: 'ringing' })).toBe('Ringing…');
    expect(customerStateText({ state: 'connected', agentName: 'Ada Agent' })).toBe('Connected to Ada Agent');
    expect(customerStateText({ state: 'connected' })).toBe('Connected to an agent');
    expect(customerStateText({ state: 'on_hold' })).toBe('On hold');
    expect(customerStateText({ state: 'ended' })).toBe('Ended');
  });

  it('rounds the wait to minutes', () => {
    expect(formatWait(0)).toBe('less than a minute');
    expect(formatWait(59)).toBe('less than a minute');
    expect(formatWait(89)).toBe('about 1 min');
    expect(formatWait(150)).toBe('about 3 min');
    expect(formatWait(Number.NaN)).toBe('less than a minute');
  });

  it('shows Reconnecting… while the socket is down, then the state again', () => {
    const waiting = { state: 'waiting' as const, position: 2, estimatedWaitSeconds: 60 };
    expect(stateLineText({ phase: 'reconnecting', state: waiting })).toBe('Reconnecting…');
    expect(stateLineText({ phase: 'open', state: waiting })).toBe('Waiting — you are number 2 in line, about 1 min');
    expect(stateLineText({ phase: 'connecting', state: null })).toBe('Connecting…');
  });

  it('Ended wins over everything; a fatal reason comes next', () => {
    expect(stateLineText({ phase: 'reconnecting', state: { state: 'ended' } })).toBe('Ended');
    expect(stateLineText({ phase: 'closed', state: { state: 'connected' }, fatal: 'This conversation has expired.' })).toBe('This conversation has expired.');
    expect(stateLineText({ phase: 'open', state: { state: 'connected', agentName: 'Ada' }, ending: true })).toBe('Ending…');
  });

  it('before a conversation: loading, unreachable, nobody online, ready', () => {
    const base = { queuesStatus: 'ready' as const, queue: { membersSignedIn: 1 }, queueCount: 1, starting: null, askingMic: false, leaveSent: false };
    expect(startLineText({ ...base, queuesStatus: 'loading' })).toBe('Loading…');
    expect(startLineText({ ...base, queuesStatus: 'error' })).toBe('Cannot reach the server');
    expect(startLineText({ ...base, queue: { membersSignedIn: 0 } })).toBe('No agents are online right now');
    expect(startLineText({ ...base, queue: null, queueCount: 0 })).toBe('Nobody is taking conversations here yet');
    expect(startLineText({ ...base, starting: 'call', askingMic: true })).toBe('Allow the microphone to start the call…');
    expect(startLineText({ ...base, leaveSent: true })).toBe('Message sent');
    expect(startLineText(base)).toMatch(/Start a chat or a call/);
  });
});
