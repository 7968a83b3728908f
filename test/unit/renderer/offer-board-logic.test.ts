import { describe, expect, it } from 'vitest';
import { type AgentBoardRow, OFFER_OUTCOME_LABELS, OfferOutcome, type QueueBoardRow } from '../../../shared';
import {
  boardTotals,
  describeInteractions,
  longestWaitMs,
  offerOutcomesText,
  sortBoardAgents,
  sortQueues,
  waitLevel,
} from '../../../renderer/features/board/board-logic';
import { appendPage, durationRows, timelineRows } from '../../../renderer/features/history/history-logic';
import { customerLabel, offerCountdown, withdrawnMessage } from '../../../renderer/features/offers/offer-logic';

describe('offer countdown', () => {
  const received = Date.parse('2024-05-01T10:00:00.000Z');
  const expires = '2024-05-01T10:00:20.000Z';

  it('counts down in whole seconds, rounding up', () => {
    expect(offerCountdown(expires, received, received)).toEqual({ remainingMs: 20_000, seconds: 20, fraction: 1, expired: false });
    expect(offerCountdown(expires, received, received + 10_500)).toMatchObject({ seconds: 10, fraction: 0.475, expired: false });
    expect(offerCountdown(expires, received, received + 19_999).seconds).toBe(1);
  });

  it('stops at zero and reports expiry', () => {
    expect(offerCountdown(expires, received, received + 25_000)).toEqual({ remainingMs: 0, seconds: 0, fraction: 0, expired: true });
  });

  it('never shows the bar beyond full when the server clock is ahead', () => {
    expect(offerCountdown(expires, received + 5000, received).fraction).toBe(1);
  });

  it('treats an unreadable deadline as expired', () => {
    expect(offerCountdown('soon', received, received).expired).toBe(true);
  });

  it('explains a withdrawal unless it was our own doing', () => {
    expect(withdrawnMessage('timeout', null)).toBe('Offer timed out');
    expect(withdrawnMessage('customer_left', 'accept')).toBe('The customer left');
    expect(withdrawnMessage('declined', 'decline')).toBeNull();
    expect(withdrawnMessage('accepted', 'accept')).toBeNull();
    expect(withdrawnMessage('accepted', null)).toMatch(/another agent/);
  });

  it('names customers who gave no name', () => {
    expect(customerLabel({ name: '  Ann ' })).toBe('Ann');
    expect(customerLabel({ email: 'a@b.test' })).toBe('a@b.test');
    expect(customerLabel({})).toBe('Anonymous customer');
  });
});

describe('board derivations', () => {
  const now = Date.parse('2024-05-01T10:10:00.000Z');
  const queue = (name: string, waiting: number, oldest: string | null): QueueBoardRow => ({
    queueId: `q-${name}`,
    name,
    waiting,
    oldestWaitingSince: oldest,
    membersSignedIn: 3,
    membersAvailable: 1,
    membersBusy: 2,
  });
  const agent = (username: string, activity: AgentBoardRow['activity'], presence: AgentBoardRow['presence'] = 'available'): AgentBoardRow => ({
    userId: `u-${username}`,
    username,
    displayName: username,
    presence,
    activity,
    interactions: [],
    since: '2024-05-01T10:00:00.000Z',
  });

  it('computes the longest wait from oldestWaitingSince, ticking with now', () => {
    const q = queue('Sales', 2, '2024-05-01T10:08:30.000Z');
    expect(longestWaitMs(q, now)).toBe(90_000);
    expect(longestWaitMs(q, now + 1000)).toBe(91_000);
    expect(longestWaitMs(queue('Empty', 0, null), now)).toBeNull();
    expect(longestWaitMs(queue('Skew', 1, '2024-05-01T10:11:00.000Z'), now)).toBe(0);
  });

  it('colours waits by threshold', () => {
    expect(waitLevel(null)).toBe('none');
    expect(waitLevel(59_999)).toBe('ok');
    expect(waitLevel(60_000)).toBe('warn');
    expect(waitLevel(180_000)).toBe('alert');
  });

  it('sorts queues by name and agents by activity, then username', () => {
    expect(sortQueues([queue('sales', 0, null), queue('Billing', 0, null)]).map((q) => q.name)).toEqual(['Billing', 'sales']);
    const agents = sortBoardAgents([agent('zed', 'idle'), agent('amy', 'offline', 'offline'), agent('bob', 'call'), agent('al', 'wrapup')]);
    expect(agents.map((a) => a.username)).toEqual(['bob', 'al', 'zed', 'amy']);
  });

  it('totals waiting customers and agent activity', () => {
    const totals = boardTotals(
      [queue('A', 2, '2024-05-01T10:09:00.000Z'), queue('B', 1, '2024-05-01T10:05:00.000Z'), queue('C', 0, null)],
      [agent('a', 'chat'), agent('b', 'idle'), agent('c', 'offline', 'offline')],
      now,
    );
    expect(totals).toEqual({ waiting: 3, longestWaitMs: 300_000, agentsSignedIn: 2, agentsWorking: 1, agentsIdle: 1 });
  });

  it('describes an agent’s open interactions', () => {
    expect(describeInteractions({ interactions: [] })).toBeNull();
    expect(
      describeInteractions({
        interactions: [
          { id: '1', kind: 'chat', status: 'active' },
          { id: '2', kind: 'call', status: 'wrapup' },
        ],
      }),
    ).toBe('Chat (active), Call (wrapup)');
    // A marked one says so; the category only when the server sent it (the viewer may open it).
    expect(
      describeInteractions({
        interactions: [
          { id: '1', kind: 'call', status: 'active', sensitive: { category: 'health' } },
          { id: '2', kind: 'chat', status: 'active', sensitive: { category: null } },
        ],
      }),
    ).toBe('Call (active, sensitive: health), Chat (active, sensitive)');
  });
});

describe('history helpers', () => {
  it('lists timeline events with offsets and how long each state lasted, without id/timestamp noise', () => {
    const rows = timelineRows('2024-05-01T10:00:00.000Z', [
      { type: 'queued', at: '2024-05-01T10:00:00.000Z', actor: null, details: { queueId: 'q1' } },
      { type: 'answered', at: '2024-05-01T10:00:20.000Z', actor: 'agent1', details: {} },
      { type: 'held', at: '2024-05-01T10:01:00.000Z', actor: 'agent1', details: {} },
      { type: 'resumed', at: '2024-05-01T10:01:45.000Z', actor: 'agent1', details: { by: 'agent' } },
    ]);
    expect(rows.map((r) => [r.label, r.offset, r.lasted, r.detail])).toEqual([
      ['Entered the queue', '+0s', '20s', null],
      ['Answered', '+20s', '40s', null],
      ['Put on hold', '+1m 00s', '45s', null],
      ['Taken off hold', '+1m 45s', null, 'by: agent'],
    ]);
    expect(durationRows({ kind: 'call', durations: { waitMs: 20_000, talkMs: 100_000, holdMs: 45_000, totalMs: 120_000 } })).toEqual([
      { label: 'Wait', value: '20s' },
      { label: 'Talk', value: '1m 40s' },
      { label: 'Hold', value: '45s' },
      { label: 'Total', value: '2m 00s' },
    ]);
    expect(durationRows({ kind: 'chat', durations: { waitMs: null, talkMs: null, holdMs: 0, totalMs: null } }).map((r) => r.value)).toEqual(['—', '—', '—']);
    const a = { id: 'a' } as never;
    const b = { id: 'b' } as never;
    expect(appendPage([a], [a, b]).map((i: { id: string }) => i.id)).toEqual(['a', 'b']);
  });
});

describe('offer outcomes in words', () => {
  it('board: the four counts a supervisor reads, and agents who went away only when there are some', () => {
    expect(offerOutcomesText(undefined)).toBe('0 declined · 0 timed out · 0 taken by another · 0 withdrawn');
    expect(offerOutcomesText({ declined: 2, timedOut: 1, takenByAnother: 0, withdrawn: 3, unavailable: 0 })).toBe('2 declined · 1 timed out · 0 taken by another · 3 withdrawn');
    expect(offerOutcomesText({ declined: 0, timedOut: 0, takenByAnother: 1, withdrawn: 0, unavailable: 2 })).toBe('0 declined · 0 timed out · 1 taken by another · 0 withdrawn · 2 while unavailable');
  });

  it('history: every outcome has its words', () => {
    expect(OfferOutcome.options.map((o) => OFFER_OUTCOME_LABELS[o])).toEqual(['Accepted', 'Declined', 'Timed out', 'Withdrawn', 'Taken by another agent', 'Withdrawn: you became unavailable']);
  });
});
