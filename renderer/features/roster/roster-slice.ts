import { type RosterEntry } from '../../../shared';
import { type AppState, type SliceCreator } from '../../app/store-types';
import { type RosterMap, rosterFromSnapshot, rosterWithChange, sortByUsername } from './roster-logic';

export interface RosterState {
  agents: RosterMap;
  /** False until the first snapshot, so the UI can tell "loading" from "no agents". */
  loaded: boolean;
}

export interface RosterSlice {
  roster: RosterState;
  /** Replaces the whole roster (sent after every accepted hello, so reconnects resync). */
  applyRosterSnapshot(agents: readonly RosterEntry[]): void;
  applyRosterChange(agent: RosterEntry): void;
  clearRoster(): void;
}

const initialRoster: RosterState = { agents: {}, loaded: false };

export const createRosterSlice: SliceCreator<RosterSlice> = () => (set) => ({
  roster: initialRoster,

  applyRosterSnapshot(agents) {
    set({ roster: { agents: rosterFromSnapshot(agents), loaded: true } });
  },

  applyRosterChange(agent) {
    set((s) => ({ roster: { ...s.roster, agents: rosterWithChange(s.roster.agents, agent) } }));
  },

  clearRoster() {
    set({ roster: initialRoster });
  },
});

// ---- selectors ----

export const selectRosterLoaded = (s: AppState) => s.roster.loaded;

/**
 * Sorted rows, memoised on the roster map so React sees the same array until the roster changes
 * (zustand 5 requires selectors to return stable references).
 */
let lastMap: RosterMap | null = null;
let lastSorted: RosterEntry[] = [];
export const selectSortedAgents = (s: AppState): RosterEntry[] => {
  if (s.roster.agents !== lastMap) {
    lastMap = s.roster.agents;
    lastSorted = sortByUsername(lastMap);
  }
  return lastSorted;
};
