import { describe, expect, it } from 'vitest';
import type { AgentBoardRow } from '../../../shared/domain/interactions';
import type { RosterEntry } from '../../../shared/api/http';
import type { TransferTargetAgent } from '../../../shared/api/interactions-http';
import { agentChoices, targetChoices } from '../../../renderer/features/workspace/TransferChooser';

const since = '2026-01-01T00:00:00.000Z';
const rosterEntry = (userId: string, presence: RosterEntry['presence'], role: RosterEntry['role'] = 'agent'): RosterEntry => ({
  userId,
  username: userId,
  displayName: userId.toUpperCase(),
  role,
  presence,
  since,
});
const boardRow = (userId: string, presence: AgentBoardRow['presence'], activity: AgentBoardRow['activity']): AgentBoardRow => ({
  userId,
  username: userId,
  displayName: userId.toUpperCase(),
  presence,
  activity,
  interactions: [],
  since,
});
const noBoard = { queues: [], agents: [], at: null, loaded: false };
const roster = (...entries: RosterEntry[]) => ({ agents: Object.fromEntries(entries.map((e) => [e.userId, e])), loaded: true });

describe('agentChoices (transfer chooser)', () => {
  it('from the roster: other agents only, available ones first and choosable, away/busy listed but not choosable, signed-out ones left out', () => {
    const choices = agentChoices(
      noBoard,
      roster(rosterEntry('me', 'available'), rosterEntry('zoe', 'available'), rosterEntry('amy', 'away'), rosterEntry('bob', 'busy'), rosterEntry('off', 'offline'), rosterEntry('sup', 'available', 'supervisor')),
      'me',
    );
    expect(choices).toEqual([
      { userId: 'zoe', label: 'ZOE (zoe) — Available', available: true },
      { userId: 'amy', label: 'AMY (amy) — Away', available: false },
      { userId: 'bob', label: 'BOB (bob) — Busy', available: false },
    ]);
  });

  it('from the live board: an agent wrapping up cannot be chosen even though their presence is available', () => {
    const board = { queues: [], agents: [boardRow('ann', 'available', 'wrapup'), boardRow('ben', 'available', 'chat'), boardRow('cat', 'away', 'idle')], at: since, loaded: true };
    expect(agentChoices(board, roster(), 'me')).toEqual([
      { userId: 'ben', label: 'BEN (ben) — In chat', available: true },
      { userId: 'ann', label: 'ANN (ann) — Wrap-up', available: false },
      { userId: 'cat', label: 'CAT (cat) — Away', available: false },
    ]);
  });
});

describe('targetChoices (the server list with live state)', () => {
  const target = (userId: string, presence: TransferTargetAgent['presence'], activity: TransferTargetAgent['activity'], canTake: boolean, why: string | null = null): TransferTargetAgent => ({
    userId,
    username: userId,
    displayName: userId.toUpperCase(),
    presence,
    activity,
    canTake,
    why,
  });

  it('those who can take it first, the reason shown for an available agent who cannot, signed-out ones left out', () => {
    const choices = targetChoices([target('zed', 'available', 'call', false, 'on a call'), target('amy', 'away', 'idle', false, 'not available'), target('bob', 'available', 'idle', true), target('off', 'offline', 'offline', false, 'not available')]);
    expect(choices.map((c) => [c.userId, c.label, c.available, c.presence])).toEqual([
      ['bob', 'BOB (bob) — Idle', true, 'available'],
      ['amy', 'AMY (amy) — Away', false, 'away'],
      ['zed', 'ZED (zed) — On a call, on a call', false, 'available'],
    ]);
  });
});
