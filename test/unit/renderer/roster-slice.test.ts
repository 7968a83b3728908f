import { describe, expect, it } from 'vitest';
import { type RosterEntry } from '../../../shared';
import { sortByUsername, rosterFromSnapshot, rosterWithChange } from '../../../renderer/features/roster/roster-logic';
import { selectSortedAgents } from '../../../renderer/features/roster/roster-slice';
import { makeStore } from './store-harness';

function entry(username: string, presence: RosterEntry['presence'], since = '2024-05-01T10:00:00.000Z'): RosterEntry {
  return { userId: `id-${username}`, username, displayName: username.toUpperCase(), role: 'agent', presence, since };
}

describe('roster logic', () => {
  it('keys a snapshot by user id and sorts by username', () => {
    const map = rosterFromSnapshot([entry('carol', 'away'), entry('agent2', 'busy'), entry('agent10', 'available')]);
    expect(Object.keys(map).sort()).toEqual(['id-agent10', 'id-agent2', 'id-carol']);
    expect(sortByUsername(map).map((a) => a.username)).toEqual(['agent10', 'agent2', 'carol']);
  });

  it('replaces one row on change without mutating the previous map', () => {
    const before = rosterFromSnapshot([entry('agent1', 'available'), entry('agent2', 'busy')]);
    const after = rosterWithChange(before, entry('agent1', 'away', '2024-05-01T11:00:00.000Z'));
    expect(before['id-agent1']?.presence).toBe('available');
    expect(after['id-agent1']).toMatchObject({ presence: 'away', since: '2024-05-01T11:00:00.000Z' });
    expect(after['id-agent2']).toBe(before['id-agent2']);
  });
});

describe('roster slice', () => {
  it('starts empty and not loaded', () => {
    const { store } = makeStore();
    expect(store.getState().roster).toEqual({ agents: {}, loaded: false });
    expect(selectSortedAgents(store.getState())).toEqual([]);
  });

  it('applies a snapshot, then changes, keeping the list sorted', () => {
    const { store } = makeStore();
    store.getState().applyRosterSnapshot([entry('agent2', 'busy'), entry('agent1', 'available')]);
    expect(store.getState().roster.loaded).toBe(true);
    expect(selectSortedAgents(store.getState()).map((a) => `${a.username} — ${a.presence}`)).toEqual([
      'agent1 — available',
      'agent2 — busy',
    ]);

    store.getState().applyRosterChange(entry('agent1', 'away'));
    store.getState().applyRosterChange(entry('agent0', 'offline'));
    expect(selectSortedAgents(store.getState()).map((a) => `${a.username} — ${a.presence}`)).toEqual([
      'agent0 — offline',
      'agent1 — away',
      'agent2 — busy',
    ]);
  });

  it('replaces everything on a new snapshot (after a reconnect)', () => {
    const { store } = makeStore();
    store.getState().applyRosterSnapshot([entry('agent1', 'busy'), entry('agent2', 'busy')]);
    store.getState().applyRosterSnapshot([entry('agent2', 'available')]);
    expect(selectSortedAgents(store.getState()).map((a) => a.username)).toEqual(['agent2']);
  });

  it('returns the same sorted array until the roster changes', () => {
    const { store } = makeStore();
    store.getState().applyRosterSnapshot([entry('agent1', 'busy')]);
    const first = selectSortedAgents(store.getState());
    store.getState().resetPresence(); // unrelated update
    expect(selectSortedAgents(store.getState())).toBe(first);
    store.getState().applyRosterChange(entry('agent1', 'away'));
    expect(selectSortedAgents(store.getState())).not.toBe(first);
  });

  it('clears on sign-out', () => {
    const { store } = makeStore();
    store.getState().applyRosterSnapshot([entry('agent1', 'busy')]);
    store.getState().clearRoster();
    expect(store.getState().roster).toEqual({ agents: {}, loaded: false });
  });
});
